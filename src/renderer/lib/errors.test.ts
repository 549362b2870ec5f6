import { describe, expect, it } from 'vitest';
import i18next from '../i18n';
import { errorText, fieldLabel } from './errors';
import { reasonText } from './reason';

const es = i18next.getFixedT('es');
const en = i18next.getFixedT('en');

describe('no internal name reaches the agent', () => {
  it('fields in words, an indexed row counted from 1, an unknown name as "un dato"', () => {
    expect(fieldLabel(es, 'installments')).toBe('pagos');
    expect(fieldLabel(es, 'installments.0.amountMinor')).toBe('pago 1 › monto');
    expect(fieldLabel(en, 'installments[2].dueDate')).toBe('payment 3 › date');
    expect(fieldLabel(es, 'proposal.discounts.principalPct')).toBe('descuentos › descuento de capital');
    expect(fieldLabel(es, 'weirdInternalThing')).toBe('un dato');
  });

  it("the issue's sentences: no raw field, no bare identifier as the message", () => {
    const a = errorText(es, { code: 'validation', message: 'principalPct', field: 'discounts.principalPct' });
    expect(a).toBe('Dato inválido en «descuentos › descuento de capital».');
    const b = errorText(es, { code: 'validation', message: 'Debe ser un número', field: 'installments' });
    expect(b).toBe('Dato inválido en «pagos»: Debe ser un número');
    expect(b).not.toContain('installments');
  });

  it('plurals: 1 día / 3 días de mora, in both languages', () => {
    const ctx = { currency: 'COP' as const, timeZone: 'America/Bogota', lang: 'es' };
    expect(reasonText(es, { code: 'dpd', params: { dpd: 1 } }, ctx)).toBe('1 día de mora');
    expect(reasonText(es, { code: 'dpd', params: { dpd: 3 } }, ctx)).toBe('3 días de mora');
    expect(reasonText(en, { code: 'dpd', params: { dpd: 1 } }, { ...ctx, lang: 'en' })).toBe('1 day past due');
    expect(es('negotiation.planSummary', { count: 1 })).toBe('Plan de 1 cuota');
    expect(es('negotiation.planSummary', { count: 6 })).toBe('Plan de 6 cuotas');
  });
});
