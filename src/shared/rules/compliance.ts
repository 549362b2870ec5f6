/**
 * Contact compliance: entry point. The rules live in ./compliance/ (profiles.ts is the law as
 * data, evaluate.ts the time rules, check.ts the decision); docs/compliance.md explains them.
 */
export { checkContact, complianceZones, isContactableToday } from './compliance/check';
export type { ComplianceInput, ContactAttempt } from './compliance/check';
export { DEFAULT_PROFILE, PROFILES, countsContactsPerDebtor, mergeProfile, profileFor } from './compliance/profiles';
export { fixedHolidayCalendar, type HolidayCalendar } from './compliance/holidays';
export { dateHolidaysCalendar } from './compliance/holidays.date-holidays';
export { COUNTRY_ZONES, resolveZones } from './compliance/timezone';
export { ComplianceOverride, ComplianceProfile, FrequencyCap, HourRule, Party, type ComplianceOverrideInput } from './compliance/types';
