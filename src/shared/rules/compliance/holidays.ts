/**
 * Public-holiday lookup behind a small interface, so the rules can be tested with a fixed
 * calendar and the renderer could swap the 2 MB date-holidays data for a smaller table.
 */
export interface HolidayCalendar {
  /** Whether `date` ('YYYY-MM-DD', a local calendar day) is a public holiday in `country`. */
  isHoliday(country: string, date: string): boolean;
}

/** A calendar from a fixed list of dates per country (tests, organisation-maintained tables). */
export function fixedHolidayCalendar(dates: Readonly<Record<string, ReadonlyArray<string>>>): HolidayCalendar {
  const sets = new Map(Object.entries(dates).map(([c, ds]) => [c, new Set(ds)]));
  return { isHoliday: (country, date) => sets.get(country)?.has(date) ?? false };
}
