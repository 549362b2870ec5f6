import { describe, expect, it } from 'vitest';
import i18next from '../i18n';
import { ruleText } from './rule-text';

const es = i18next.getFixedT('es');
const en = i18next.getFixedT('en');

describe("ruleText: a violation's rule ids in words", () => {
  it('words an hour rule with what failed, a cap, a hard stop, in both languages', () => {
    expect(ruleText(es, 'co.hours.time')).toBe('Fuera del horario de la Ley 2300 (L–V 07:00–19:00, sáb 08:00–15:00): fuera de hora');
    expect(ruleText(es, 'co.hours.holiday')).toMatch(/Ley 2300.*festivo$/);
    expect(ruleText(es, 'co.freq.daily')).toBe('Más de un contacto en el mismo día (Ley 2300)');
    expect(ruleText(en, 'co.freq.one_channel_week')).toBe('Another channel already used in the last 7 days (Ley 2300)');
    expect(ruleText(es, 'hard.status.do_not_contact')).toBe('El deudor pidió no ser contactado');
    expect(ruleText(en, 'org.closed_date')).toBe('A day the organisation closed');
  });

  it("shows an organisation's own rule id as it is", () => {
    expect(ruleText(es, 'acme.night.time')).toBe('acme.night.time');
    expect(ruleText(en, 'acme.cap')).toBe('acme.cap');
  });
});
