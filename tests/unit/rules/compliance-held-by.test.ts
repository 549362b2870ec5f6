import { describe, expect, it } from 'vitest';
import { checkContact } from '../../../src/shared/rules/compliance';
import { inputOf, type Case } from './compliance-fixtures';

// Wednesday 25 Nov 2026, 10:00 Bogotá: inside Ley 2300's hours.
const base: Case = {
  name: 'held-by',
  rule: 'co.freq.one_channel_week',
  country: 'CO',
  at: '2026-11-25T10:00:00-05:00',
  allowed: false,
  reasons: [],
  next: null,
};

describe("a cap's refusal names the contact that holds it and the day it frees", () => {
  it('one channel a week: the call on another account of the same debtor, by its agent, frees 7 days after its day', () => {
    const input = inputOf({ ...base, channel: 'sms' });
    input.history = [
      { accountId: 'acct-1', debtorId: 'debtor-1', channel: 'sms', conversation: false, at: '2026-11-20T09:00:00-05:00', agentId: 'ag-1' },
      { accountId: 'acct-2', debtorId: 'debtor-1', channel: 'call', conversation: false, at: '2026-11-23T11:15:00-05:00', agentId: 'ag-2' },
    ];
    const d = checkContact(input);
    const r = d.reasons.find((x) => x.ruleId === 'co.freq.one_channel_week');
    // the other channel (the call), not the latest SMS; the call's day (23rd) and six more: free from the 30th, 00:00 Bogotá
    expect(r?.heldBy).toEqual({
      accountId: 'acct-2',
      channel: 'call',
      at: '2026-11-23T16:15:00.000Z',
      agentId: 'ag-2',
      freesAt: '2026-11-30T05:00:00.000Z',
    });
    // the cap frees at midnight; the next allowed moment is when the hours open that day (Mon 07:00)
    expect(d.nextAllowedAt).toBe('2026-11-30T12:00:00.000Z');
  });

  it('one contact a day: the latest counted contact; an hour rule carries no holder', () => {
    const input = inputOf({ ...base, channel: 'call', at: '2026-11-25T19:30:00-05:00' });
    input.history = [
      { accountId: 'acct-1', debtorId: 'debtor-1', channel: 'call', conversation: false, at: '2026-11-25T08:00:00-05:00' },
      { accountId: 'acct-3', debtorId: 'debtor-1', channel: 'call', conversation: false, at: '2026-11-25T09:00:00-05:00', agentId: 'ag-3' },
    ];
    const d = checkContact(input);
    expect(d.reasons.find((x) => x.ruleId === 'co.freq.daily')?.heldBy).toMatchObject({
      accountId: 'acct-3',
      agentId: 'ag-3',
      freesAt: '2026-11-26T05:00:00.000Z',
    });
    expect(d.reasons.find((x) => x.ruleId === 'co.hours.time')?.heldBy).toBeUndefined();
  });
});
