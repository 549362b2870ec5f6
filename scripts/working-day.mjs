// The e2e tests drive the agent's screen, whose queue shows by default only debtors who may be
// contacted now (contact hours and holidays of CO, MX, PE, CL). At night, on a Sunday or on a
// holiday there rightly are none, so those tests run in the last Latin American working hour
// instead: the whole e2e run (server, workstation and Chromium alike) under libfaketime, shifted
// back. During a working day nothing is shifted.
import { spawnSync } from 'node:child_process';
import Holidays from 'date-holidays';

const COUNTRIES = ['CO', 'MX', 'PE', 'CL'];
const calendars = COUNTRIES.map((c) => new Holidays(c));

/** Mon–Fri, 14:00–21:00 UTC (09:00–16:00 in Bogotá and Lima, 08:00–15:00 in Mexico City), no holiday in any of them. */
export function isWorkingHour(at) {
  const day = at.getUTCDay();
  const hour = at.getUTCHours();
  if (day === 0 || day === 6 || hour < 14 || hour >= 21) return false;
  return !calendars.some((h) => {
    const found = h.isHoliday(at);
    return Array.isArray(found) && found.some((x) => x.type === 'public');
  });
}

/** Milliseconds to go back from `now` to 15:00 UTC of the last working day (0 if now is fine). */
export function shiftToWorkingDay(now = new Date()) {
  if (isWorkingHour(now)) return 0;
  for (let back = 0; back < 14; back++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back, 15, 0, 0));
    if (d < now && isWorkingHour(d)) return now.getTime() - d.getTime();
  }
  return 0;
}

export function hasFaketime() {
  return spawnSync('faketime', ['-f', '+0', 'true'], { stdio: 'ignore' }).status === 0;
}
