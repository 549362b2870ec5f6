import { describe, expect, it } from 'vitest';
import { OutcomeInput } from '../../shared/api/contract';
import { PromisePolicy } from '../../shared/rules/promises';
import { buildOutcome, type OutcomeContext, type OutcomeDraft } from './buildOutcome';

const ACCOUNT = '3f1c2b7e-8a4d-4c1e-9b2a-1d2e3f4a5b6c';
const CP = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

// 2026-11-25 03:30 UTC is still 2026-11-24 22:30 in Bogotá: "today" must be the debtor's day.
const NOW = new Date('2026-11-25T03:30:00Z');

function ctx(over: Partial<OutcomeContext> = {}): OutcomeContext {
  return { accountId: ACCOUNT, currency: 'COP', balanceMinor: 5_000_000, timeZone: 'America/Bogota', now: NOW, ...over };
}
function draft(over: Partial<OutcomeDraft> = {}): OutcomeDraft {
  return {
    disposition: 'promise_to_pay',
    channel: 'call',
    contactPointId: CP,
    note: '  llamar en la tarde  ',
    installments: [{ key: 'a', amount: '1.500.000', date: '2026-11-24' }],
    callbackDate: '',
    callbackTime: '',
    ...over,
  };
}

describe('buildOutcome', () => {
  it('builds a one-payment promise in minor units, note trimmed, valid for the API schema', () => {
    const r = buildOutcome(draft(), ctx());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.input.promise).toEqual({ installments: [{ dueDate: '2026-11-24', amountMinor: 1_500_000 }] });
    expect(r.input.note).toBe('llamar en la tarde');
    expect(() => OutcomeInput.parse(r.input)).not.toThrow();
  });

  it('converts major units with the currency digits (MXN has cents)', () => {
    const r = buildOutcome(
      draft({ installments: [{ key: 'a', amount: '1,234.50', date: '2026-12-01' }] }),
      ctx({ currency: 'MXN', balanceMinor: 500_000 }),
    );
    expect(r.ok && r.input.promise?.installments[0]?.amountMinor).toBe(123_450);
  });

  it.each([
    ['', 'amount_required'],
    ['abc', 'amount_invalid'],
    ['-5', 'amount_negative'],
    ['0', 'amount_positive'],
    ['1500,55', 'amount_decimals'],
  ])('amount %j → %s on installments.0.amount', (amount, key) => {
    const r = buildOutcome(draft({ installments: [{ key: 'a', amount, date: '2026-12-01' }] }), ctx());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors['installments.0.amount']?.key).toBe(key);
  });

  it("refuses a first date before the debtor's today (the UTC date is already the 25th)", () => {
    const r = buildOutcome(draft({ installments: [{ key: 'a', amount: '100000', date: '2026-11-23' }] }), ctx());
    expect(!r.ok && r.errors['installments.0.date']).toEqual({ key: 'date_past', params: { today: '2026-11-24' } });
  });

  it('names the row of a later date that is not after the previous one', () => {
    const r = buildOutcome(
      draft({
        installments: [
          { key: 'a', amount: '100000', date: '2026-11-30' },
          { key: 'b', amount: '100000', date: '2026-11-23' },
        ],
      }),
      ctx(),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors['installments.1.date']?.key).toBe('date_order');
    expect(r.errors['installments.0.date']).toBeUndefined();
  });

  it("applies the organisation's promise policy when given, with the rule's own text", () => {
    const policy = PromisePolicy.parse({ maxInstallments: 1, minPercentOfBalance: 50 });
    const r = buildOutcome(draft({ installments: [{ key: 'a', amount: '1000000', date: '2026-11-30' }] }), ctx({ policy }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.installments?.text?.es).toMatch(/al menos el 50 %/);
    const two = buildOutcome(
      draft({
        installments: [
          { key: 'a', amount: '2500000', date: '2026-11-30' },
          { key: 'b', amount: '2500000', date: '2026-12-30' },
        ],
      }),
      ctx({ policy }),
    );
    expect(!two.ok && two.errors.installments?.text?.en).toMatch(/At most 1 payment per promise/);
  });

  it('refuses an impossible date in a series, naming its row', () => {
    const r = buildOutcome(
      draft({
        installments: [
          { key: 'a', amount: '1000', date: '2026-12-10' },
          { key: 'b', amount: '1000', date: '2026-12-05' },
          { key: 'c', amount: '1000', date: '2026-02-30' },
        ],
      }),
      ctx(),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // Typing errors come first; the promise rules run once every row parses.
    expect(r.errors['installments.2.date']?.key).toBe('date_invalid');
    expect(r.errors['installments.1.date']).toBeUndefined();
  });

  it('refuses a promise larger than the balance', () => {
    const r = buildOutcome(draft({ installments: [{ key: 'a', amount: '6000000', date: '2026-12-01' }] }), ctx());
    expect(!r.ok && r.errors.installments?.key).toBe('total_exceeds_balance');
  });

  it('requires a disposition', () => {
    const r = buildOutcome(draft({ disposition: null }), ctx());
    expect(!r.ok && r.errors.disposition?.key).toBe('disposition_required');
  });

  it('sends no promise for other dispositions even if rows were typed', () => {
    const r = buildOutcome(draft({ disposition: 'no_answer', note: '' }), ctx());
    expect(r.ok && r.input.promise).toBeNull();
    expect(r.ok && r.input.note).toBeNull();
  });

  it("turns a callback wall time in the debtor's zone into a UTC instant", () => {
    const r = buildOutcome(draft({ disposition: 'callback_requested', callbackDate: '2026-11-25', callbackTime: '09:15' }), ctx());
    expect(r.ok && r.input.callbackAt).toBe('2026-11-25T14:15:00.000Z');
    const mx = buildOutcome(
      draft({ disposition: 'callback_requested', callbackDate: '2026-11-25', callbackTime: '09:15' }),
      ctx({ timeZone: 'America/Santiago' }),
    );
    // Santiago is on summer time (UTC−3) in November.
    expect(mx.ok && mx.input.callbackAt).toBe('2026-11-25T12:15:00.000Z');
  });

  it('refuses a callback in the past or with a missing time', () => {
    const past = buildOutcome(draft({ disposition: 'callback_requested', callbackDate: '2026-11-24', callbackTime: '21:00' }), ctx());
    expect(!past.ok && past.errors.callbackTime?.key).toBe('callback_past');
    const noTime = buildOutcome(draft({ disposition: 'callback_requested', callbackDate: '2026-11-26', callbackTime: '' }), ctx());
    expect(!noTime.ok && noTime.errors.callbackTime?.key).toBe('time_required');
  });
});
