import Holidays from 'date-holidays';
import type { HolidayCalendar } from './holidays';

/**
 * Public holidays from the date-holidays package (pure JS: bundles for the browser without Node
 * built-ins, checked with esbuild --platform=browser). Only type 'public' counts: bank, school
 * and observance days are working days for collections.
 */
const byCountry = new Map<string, Holidays | null>();
const byCountryYear = new Map<string, ReadonlySet<string>>();

function holidaysOf(country: string): Holidays | null {
  let h = byCountry.get(country);
  if (h === undefined) {
    const known = Object.prototype.hasOwnProperty.call(new Holidays().getCountries(), country);
    h = known ? new Holidays(country) : null;
    byCountry.set(country, h);
  }
  return h;
}

function publicDates(country: string, year: number): ReadonlySet<string> {
  const key = `${country}|${year}`;
  let set = byCountryYear.get(key);
  if (!set) {
    const h = holidaysOf(country);
    const list = h ? h.getHolidays(year) : [];
    set = new Set(list.filter((x) => x.type === 'public').map((x) => x.date.slice(0, 10)));
    byCountryYear.set(key, set);
  }
  return set;
}

export const dateHolidaysCalendar: HolidayCalendar = {
  isHoliday(country, date) {
    return publicDates(country, Number(date.slice(0, 4))).has(date);
  },
};
