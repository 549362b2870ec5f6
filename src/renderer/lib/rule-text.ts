import type { TFunction } from 'i18next';

/**
 * A compliance rule id (as stored beside a violation) in words. Hour rules carry a suffix
 * (`co.hours.time`: outside hours, `.day`, `.holiday`), worded as the rule plus what failed; an
 * id the app has no words for (an organisation's own rule) is shown as it is.
 */
export function ruleText(t: TFunction, ruleId: string): string {
  const key = (id: string) => `violations.rule.${id.replace(/\./g, '_')}`;
  const hour = /^(.*)\.(time|day|holiday)$/.exec(ruleId);
  if (hour) {
    const rule = t(key(hour[1]!), { defaultValue: '' });
    if (rule) return `${rule}: ${t(`violations.rule.suffix_${hour[2]}`)}`;
  }
  return t(key(ruleId), { defaultValue: ruleId });
}
