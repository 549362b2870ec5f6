import { describe, expect, it } from 'vitest';
import i18next from '../i18n';
import { reasonText } from './reason';

const es = i18next.getFixedT('es');
const en = i18next.getFixedT('en');
const co = { currency: 'COP' as const, timeZone: 'America/Bogota', lang: 'es' };

describe('reasonText', () => {
  it('formats a broken promise with the account currency and the calendar date', () => {
    const text = reasonText(es, { code: 'promise_broken', params: { dueDate: '2026-11-20', amountMinor: 150000 } }, co);
    expect(text).toMatch(/^Promesa incumplida: \$\s?150\.000 del (20\/11\/2026|20 nov\.? 2026)$/);
  });

  it("shows a callback instant in the debtor's zone", () => {
    const text = reasonText(en, { code: 'callback_today', params: { callbackAt: '2026-11-25T20:30:00Z' } }, { ...co, lang: 'en' });
    // 20:30 UTC is 15:30 in Bogotá
    expect(text).toContain('3:30');
    expect(text).toMatch(/^Callback today/);
  });

  it('translates enum params (segment) and keeps numbers', () => {
    expect(reasonText(es, { code: 'risk', params: { segment: 'high', bucket: '31-60', dpd: 45 } }, co)).toBe(
      'Riesgo alto · 45 días de mora',
    );
    expect(reasonText(en, { code: 'risk', params: { segment: 'low', bucket: '1-30', dpd: 3 } }, { ...co, lang: 'en' })).toBe(
      'Low risk · 3 days past due',
    );
  });

  it('translates every reason code the priority rules document', () => {
    for (const code of [
      'callback_due',
      'callback_today',
      'callback_scheduled',
      'promise_broken',
      'promise_due_today',
      'promise_open',
      'recently_contacted',
      'risk',
      'best_hour',
      'propensity',
      'status.dispute',
      'status.hardship',
      'status.do_not_contact',
      'status.deceased',
      'status.bankrupt',
      'status.closed',
    ]) {
      for (const lng of ['es', 'en']) expect(i18next.exists(`reason.${code}`, { lng }), `${lng} ${code}`).toBe(true);
    }
  });

  it('falls back to the raw code for a code the UI does not know yet', () => {
    expect(reasonText(es, { code: 'something_new', params: {} }, co)).toBe('something_new');
  });
});
