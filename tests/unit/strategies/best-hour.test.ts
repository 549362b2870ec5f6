import { describe, expect, it } from 'vitest';
import { StrategyStep } from '../../../src/shared/domain/strategy';
import { preferredSendAt, type StepPlan } from '../../../src/server/strategies/decide';
import type { AccountFacts } from '../../../src/server/strategies/facts';

const NOW = new Date('2026-12-09T14:00:00Z'); // Wednesday 09:00 in Bogotá

function facts(bestHours: number[]): AccountFacts {
  return {
    account: {
      id: 'acc-1',
      debtorId: 'debtor-1',
      status: 'active',
      balanceMinor: 1,
      currency: 'COP',
      segment: 'medium',
      product: 'tarjeta',
      country: 'CO',
      dueDate: '2026-12-10',
      legalStage: false,
      promiseOpen: false,
      assignedAgentId: null,
    },
    debtor: {
      id: 'debtor-1',
      country: 'CO',
      timeZone: 'America/Bogota',
      contactPrefs: { authorizedChannels: ['sms'], windows: [], preferredChannel: null, preferredPaymentDay: null },
    },
    contactPoints: [],
    history: [],
    promises: [],
    bestHours,
  };
}

function plan(over: Partial<StrategyStep> = {}, decision: StepPlan['decision'] = { kind: 'send', contactPointId: 'cp' }): StepPlan {
  const step = StrategyStep.parse({
    key: 's',
    anchor: 'due_date',
    day: -1,
    validDays: 1,
    action: 'sms',
    templateId: '00000000-0000-4000-8000-000000000001',
    ...over,
  });
  return {
    strategy: {} as never,
    variant: 'champion' as never,
    step,
    index: 1,
    occurrence: { key: 'o', anchorDate: '2026-12-10' } as never,
    decision,
  };
}

describe("a strategy step's send time prefers the debtor's best hour inside its window", () => {
  it('moves a send due now to the first best hour later in the window (debtor zone)', () => {
    // best: Wednesday 18:00 (3·24 + 18) → 23:00 UTC the same day
    expect(preferredSendAt(facts([3 * 24 + 18]), plan(), NOW)).toBe('2026-12-09T23:00:00.000Z');
  });

  it('keeps now when no best hour falls inside the window, or none was learned', () => {
    // Saturday 10:00 is after the window (9th and 10th)
    expect(preferredSendAt(facts([6 * 24 + 10]), plan(), NOW)).toBe(NOW.toISOString());
    expect(preferredSendAt(facts([]), plan(), NOW)).toBe(NOW.toISOString());
  });

  it('a step waiting for compliance goes at the first best hour after it is free; a hand-over keeps its time', () => {
    const wait: StepPlan['decision'] = { kind: 'wait', until: '2026-12-09T15:00:00.000Z', reasons: [] };
    expect(preferredSendAt(facts([4 * 24 + 8]), plan({}, wait), NOW)).toBe('2026-12-10T13:00:00.000Z');
    expect(preferredSendAt(facts([3 * 24 + 18]), plan({ action: 'handover', templateId: null }), NOW)).toBe(NOW.toISOString());
  });
});
