import { describe, expect, it } from 'vitest';
import { StrategyInput, StrategyStep } from '../../../src/shared/domain/strategy';
import type { ContactAttempt } from '../../../src/shared/rules/compliance';
import {
  decideStep,
  occurrences,
  pickStrategy,
  variantFor,
  type DecideStepInput,
  type StrategyAccount,
} from '../../../src/shared/rules/strategy';

const account = (over: Partial<StrategyAccount> = {}): StrategyAccount => ({
  id: 'acc-1',
  status: 'active',
  balanceMinor: 500_000_00,
  segment: 'medium',
  product: 'tarjeta',
  country: 'CO',
  dueDate: '2026-12-10',
  legalStage: false,
  promiseOpen: false,
  ...over,
});

const step = (over: Partial<StrategyStep> = {}) =>
  StrategyStep.parse({ key: 's', anchor: 'due_date', day: -1, action: 'sms', templateId: '00000000-0000-4000-8000-000000000001', ...over });

function input(over: Partial<DecideStepInput> & { history?: ContactAttempt[]; authorized?: string[] } = {}): DecideStepInput {
  const { history = [], authorized = ['sms', 'email', 'whatsapp', 'call', 'letter'], ...rest } = over;
  return {
    step: step(),
    anchorDate: '2026-12-10',
    account: account(),
    contactPoints: [
      { id: 'cp-phone', kind: 'phone', value: '+573001234567', invalid: false, doNotContact: false },
      { id: 'cp-mail', kind: 'email', value: 'deudor@example.com', invalid: false, doNotContact: false },
    ],
    compliance: {
      debtor: {
        id: 'debtor-1',
        country: 'CO',
        timeZone: 'America/Bogota',
        contactPrefs: { authorizedChannels: authorized as never, windows: [], preferredChannel: null, preferredPaymentDay: null },
      },
      history,
    },
    at: new Date('2026-12-09T14:00:00Z'), // 09:00 in Bogotá, Wednesday
    ...rest,
  };
}

describe('decideStep', () => {
  it('sends a −1 SMS on the day before the due date inside legal hours, through the phone', () => {
    expect(decideStep(input())).toEqual({ kind: 'send', contactPointId: 'cp-phone' });
  });

  it('is not due before its day in the debtor calendar (04:00 UTC on the 9th is still the 8th in Bogotá)', () => {
    expect(decideStep(input({ at: new Date('2026-12-09T04:00:00Z') }))).toEqual({ kind: 'not_due', from: '2026-12-09' });
  });

  it('waits for 07:00 in the debtor zone when planned before hours', () => {
    const d = decideStep(input({ at: new Date('2026-12-09T10:00:00Z') })); // 05:00 Bogotá
    expect(d.kind).toBe('wait');
    expect(d.kind === 'wait' && d.until).toBe('2026-12-09T12:00:00.000Z');
  });

  it('on a Colombian holiday waits for the next working day inside its window, or is skipped when the window is that day only', () => {
    const onHoliday = { anchorDate: '2026-12-09', at: new Date('2026-12-08T15:00:00Z') }; // 8 Dec: Inmaculada Concepción
    const waited = decideStep(input({ ...onHoliday, step: step({ validDays: 1 }) }));
    expect(waited).toMatchObject({ kind: 'wait', until: '2026-12-09T12:00:00.000Z' });
    const skipped = decideStep(input({ ...onHoliday, step: step({ validDays: 0 }) }));
    expect(skipped).toMatchObject({ kind: 'skip', reason: { code: 'window.compliance' } });
    expect(skipped.kind === 'skip' && skipped.reasons.map((r) => r.code)).toContain('co.hours.holiday');
  });

  it("counts an agent's contacts towards the caps: after an SMS today it waits for tomorrow; after a call this week (one channel a week) it is skipped", () => {
    const sms: ContactAttempt[] = [
      { accountId: 'acc-2', debtorId: 'debtor-1', channel: 'sms', at: '2026-12-09T13:00:00Z', conversation: false },
    ];
    const d = decideStep(input({ history: sms, step: step({ validDays: 2 }) }));
    expect(d.kind).toBe('wait');
    expect(d.kind === 'wait' && d.until).toBe('2026-12-10T12:00:00.000Z');
    const call: ContactAttempt[] = [{ ...sms[0]!, channel: 'call' }];
    const held = decideStep(input({ history: call, step: step({ validDays: 2 }) }));
    expect(held).toMatchObject({ kind: 'skip', reason: { code: 'window.compliance' } });
  });

  it('stops on paid, dispute, hardship, do-not-contact and the legal stage; an open promise stops the due-date ladder only', () => {
    const code = (a: Partial<StrategyAccount>, s = step()) => {
      const d = decideStep(input({ account: account(a), step: s }));
      return d.kind === 'skip' ? d.reason.code : d.kind;
    };
    expect(code({ balanceMinor: 0 })).toBe('stop.paid');
    expect(code({ status: 'dispute' })).toBe('stop.dispute');
    expect(code({ status: 'hardship' })).toBe('stop.hardship');
    expect(code({ status: 'do_not_contact' })).toBe('stop.do_not_contact');
    expect(code({ legalStage: true })).toBe('stop.legal');
    expect(code({ promiseOpen: true })).toBe('stop.promised');
    expect(code({ promiseOpen: true }, step({ anchor: 'installment' }))).toBe('send');
  });

  it('honours the channel consent: a channel the debtor has not authorised (or refused) is skipped with the law', () => {
    const d = decideStep(input({ authorized: ['email'] }));
    expect(d).toMatchObject({ kind: 'skip', reason: { code: 'hard.channel_not_authorized' } });
    const email = decideStep(input({ authorized: ['email'], step: step({ action: 'email' }) }));
    expect(email).toEqual({ kind: 'send', contactPointId: 'cp-mail' });
  });

  it('skips a step whose window passed, and a step with no contact point for its channel', () => {
    expect(decideStep(input({ at: new Date('2026-12-13T15:00:00Z') }))).toMatchObject({ kind: 'skip', reason: { code: 'window.passed' } });
    expect(decideStep(input({ step: step({ action: 'letter' }) }))).toMatchObject({ kind: 'skip', reason: { code: 'no_contact_point' } });
  });

  it('a call task names no number and a hand-over needs no channel', () => {
    expect(decideStep(input({ step: step({ action: 'call_task', templateId: null }) }))).toEqual({ kind: 'send', contactPointId: null });
    expect(decideStep(input({ step: step({ action: 'handover', templateId: null }), authorized: [] }))).toEqual({
      kind: 'send',
      contactPointId: null,
    });
  });
});

describe('strategy model', () => {
  it('refuses a message step without a template, duplicate keys and an inverted DPD range, naming the field', () => {
    const bad = StrategyInput.safeParse({
      name: 'x',
      scope: { dpdMin: 10, dpdMax: 1 },
      steps: [
        { key: 'a', anchor: 'due_date', day: 1, action: 'sms' },
        { key: 'a', anchor: 'due_date', day: 3, action: 'call_task' },
      ],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['scope.dpdMax', 'steps.0.templateId', 'steps.1.key']));
  });

  it('the challenger share is stable per account and close to the asked share', () => {
    const ch = { sharePercent: 20, steps: [step()] };
    const ids = Array.from({ length: 5000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const v = ids.map((id) => variantFor('strat-1', id, ch));
    expect(ids.map((id) => variantFor('strat-1', id, ch))).toEqual(v);
    const share = v.filter((x) => x === 'challenger').length / ids.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    expect(variantFor('strat-1', ids[0]!, null)).toBe('champion');
  });

  it('picks the first active strategy by rank whose scope holds the account', () => {
    const s = (id: string, rank: number, scope: object, active = true) => ({
      id,
      ...StrategyInput.parse({ name: id, scope, steps: [step()] }),
      rank,
      active,
    });
    const list = [s('late', 50, { dpdMin: 1 }), s('pre', 10, { dpdMax: 0, countries: ['CO'] }), s('off', 0, {}, false)];
    expect(pickStrategy(list, { segment: 'low', product: 'p', country: 'CO', dpd: -3 })?.id).toBe('pre');
    expect(pickStrategy(list, { segment: 'low', product: 'p', country: 'MX', dpd: -3 })).toBeNull();
    expect(pickStrategy(list, { segment: 'low', product: 'p', country: 'MX', dpd: 12 })?.id).toBe('late');
  });

  it('occurrences: the due date, each unpaid instalment of an open promise, each broken promise', () => {
    const promises = [
      {
        id: 'p1',
        status: 'pending' as const,
        installments: [
          { seq: 1, dueDate: '2026-12-15', amountMinor: 100, paidMinor: 100 },
          { seq: 2, dueDate: '2026-12-30', amountMinor: 100, paidMinor: 0 },
        ],
      },
      { id: 'p0', status: 'broken' as const, installments: [{ seq: 1, dueDate: '2026-11-20', amountMinor: 100, paidMinor: 0 }] },
    ];
    expect(occurrences('due_date', '2026-12-10', promises)).toEqual([{ key: 'due:2026-12-10', anchorDate: '2026-12-10' }]);
    expect(occurrences('installment', null, promises)).toEqual([{ key: 'inst:p1:2', anchorDate: '2026-12-30' }]);
    expect(occurrences('promise_broken', null, promises)).toEqual([{ key: 'broken:p0', anchorDate: '2026-11-20' }]);
  });
});
