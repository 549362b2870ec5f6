import { describe, expect, it } from 'vitest';
import { datePattern, formatCalendarDate, formatDate, formatDateTime, parseDateInput } from './datetime';

describe('one date format per language', () => {
  it('writes a calendar day as dd/mm/aaaa in Spanish and mm/dd/yyyy in English, zero-padded', () => {
    expect(formatCalendarDate('2026-12-03', 'es')).toBe('03/12/2026');
    expect(formatCalendarDate('2026-12-03', 'en')).toBe('12/03/2026');
    expect(datePattern('es')).toBe('dd/mm/aaaa');
    expect(datePattern('en')).toBe('mm/dd/yyyy');
  });

  it("writes an instant's day in the debtor's zone, not the workstation's", () => {
    // 03:30 UTC on 4 December is still 3 December in Bogotá (UTC−5) and 4 December in Madrid
    expect(formatDate('2026-12-04T03:30:00Z', 'America/Bogota', 'es')).toBe('03/12/2026');
    expect(formatDate('2026-12-04T03:30:00Z', 'Europe/Madrid', 'es')).toBe('04/12/2026');
  });

  it('writes date and time with the same day format and the hour in the zone', () => {
    const es = formatDateTime('2026-12-03T20:05:00Z', 'America/Bogota', 'es');
    expect(es.startsWith('03/12/2026 ')).toBe(true);
    expect(es).toMatch(/03:05\s?p\.?\s?m\.?/i);
    const en = formatDateTime('2026-12-03T20:05:00Z', 'America/Mexico_City', 'en');
    expect(en).toBe('12/03/2026 02:05 PM');
  });
});

describe('parseDateInput', () => {
  it('reads the common ways of typing a day in Spanish order', () => {
    for (const text of ['3/12/2026', '03/12/2026', '3/12/26', '03-12-2026', '03.12.2026', ' 3 / 12 / 2026 ', '03122026', '2026-12-03']) {
      expect(parseDateInput(text, 'es'), text).toEqual({ ok: true, date: '2026-12-03' });
    }
  });

  it('reads month first in English', () => {
    expect(parseDateInput('12/3/2026', 'en')).toEqual({ ok: true, date: '2026-12-03' });
    expect(parseDateInput('3/12/2026', 'en')).toEqual({ ok: true, date: '2026-03-12' });
  });

  it('refuses what is not a date, and days the calendar does not have, instead of rolling them over', () => {
    expect(parseDateInput('', 'es')).toEqual({ ok: false, reason: 'empty' });
    expect(parseDateInput('mañana', 'es')).toEqual({ ok: false, reason: 'format' });
    expect(parseDateInput('3/12', 'es')).toEqual({ ok: false, reason: 'format' });
    expect(parseDateInput('31/02/2026', 'es')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseDateInput('29/02/2026', 'es')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseDateInput('29/02/2028', 'es')).toEqual({ ok: true, date: '2028-02-29' });
    expect(parseDateInput('12/13/2026', 'es')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseDateInput('00/12/2026', 'es')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('round-trips every day it writes', () => {
    for (const lang of ['es', 'en']) {
      for (const date of ['2026-01-01', '2026-12-31', '2027-02-28', '2028-02-29']) {
        expect(parseDateInput(formatCalendarDate(date, lang), lang)).toEqual({ ok: true, date });
      }
    }
  });
});
