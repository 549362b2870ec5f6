import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src/main/services';
import { call, login } from '../../helpers/server';
import { openWorkstation } from '../sync/helpers';
import { importRows, lookup, rawClient, row, startComplianceServer, type ComplianceServer } from './helpers';

// Wednesday 25 Nov 2026, 03:50 in Bogotá: Ley 2300 opens at 07:00 (the case).
const AT_0350 = new Date('2026-11-25T08:50:00Z');
// 10:00 in Bogotá: inside the hours.
const AT_1000 = new Date('2026-11-25T15:00:00Z');

let s: ComplianceServer;
/** The optional fields of a logOutcome input, as the form leaves them. */
const NONE = { note: null, callActivityId: null, callbackAt: null, direction: 'outbound' as const };
const cleanups: Array<() => void | Promise<void>> = [];

beforeAll(async () => {
  s = await startComplianceServer({}, AT_0350);
  await importRows(s, [
    row({ accountRef: 'L-WS-1', assignedAgent: 'agente1' }),
    row({
      debtorExternalId: 'L-D2',
      name: 'Beto Ruiz',
      nationalId: '79111222',
      accountRef: 'L-RAW-1',
      phones: ['+573105556677'],
      whatsapp: [],
      emails: [],
      assignedAgent: 'agente2',
    }),
    // one debtor, two accounts, one agent: a contact on one holds the channel on the other
    row({
      debtorExternalId: 'L-D4',
      name: 'Diana Mora',
      nationalId: '79555666',
      accountRef: 'L-TWO-1',
      phones: ['+573151112233'],
      whatsapp: [],
      emails: [],
      assignedAgent: 'agente1',
    }),
    row({
      debtorExternalId: 'L-D4',
      name: 'Diana Mora',
      nationalId: '79555666',
      accountRef: 'L-TWO-2',
      phones: ['+573151112233'],
      whatsapp: [],
      emails: [],
      assignedAgent: 'agente1',
    }),
    row({
      debtorExternalId: 'L-D3',
      name: 'Carla Díaz',
      nationalId: '79333444',
      accountRef: 'L-RAW-2',
      phones: ['+573209998877'],
      whatsapp: [],
      emails: [],
      assignedAgent: 'agente2',
    }),
  ]);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await s?.close();
});

async function agentWorkstation(username: string, now: () => Date): Promise<Workstation> {
  const { ws, cleanup } = await openWorkstation(s.url, undefined, { now });
  cleanups.push(async () => {
    await ws.close();
    cleanup();
  });
  await ws.handlers.login({ username, password: 'agente123' });
  await ws.handlers.syncNow(undefined);
  return ws;
}

describe('an outcome logged by hand is checked like placing the contact', () => {
  it('the workstation refuses an outbound promise at 03:50 with the reason and 07:00 as next, queues nothing, and accepts it as inbound', async () => {
    s.clock.at = AT_0350;
    const ws = await agentWorkstation('agente1', () => AT_0350);
    const acc = await lookup(s.db, 'L-WS-1');
    const pending = (await ws.handlers.getSyncState(undefined)).pending;
    const err = await ws.handlers
      .logOutcome({
        accountId: acc.accountId,
        channel: 'call',
        contactPointId: acc.phoneId,
        disposition: 'promise_to_pay',
        ...NONE,
        promise: { installments: [{ dueDate: '2026-12-10', amountMinor: 60_000_000 }] },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'compliance.blocked', field: 'direction' });
    expect((err as Error).message).toMatch(/outside|hours/i);
    // 07:00 Bogotá = 12:00 UTC, named in the refusal
    expect((err as Error).message).toContain('2026-11-25T12:00:00.000Z');
    expect((await ws.handlers.getSyncState(undefined)).pending).toBe(pending);
    expect((await ws.handlers.getAccount({ accountId: acc.accountId })).activities).toHaveLength(0);

    // the debtor called in: an inbound contact is the debtor's doing and is never refused
    const { activityId, promiseId } = await ws.handlers.logOutcome({
      accountId: acc.accountId,
      channel: 'call',
      contactPointId: acc.phoneId,
      disposition: 'promise_to_pay',
      ...NONE,
      direction: 'inbound',
      promise: { installments: [{ dueDate: '2026-12-10', amountMinor: 60_000_000 }] },
    });
    expect(promiseId).not.toBeNull();
    await ws.handlers.syncNow(undefined);
    expect((await ws.handlers.getSyncState(undefined)).rejected).toEqual([]);
    const [stored] = await s.db.query<{ direction: string; v: string[] | null; manual: boolean }>(
      'SELECT direction, compliance_violation AS v, manual_dial AS manual FROM activities WHERE id = $1',
      [activityId],
    );
    expect(stored).toEqual({ direction: 'inbound', v: null, manual: false });
  }, 60_000);

  it('a call dialled outside the softphone in hours is logged as a manual dial, on the server too', async () => {
    s.clock.at = AT_1000;
    const ws = await agentWorkstation('agente2', () => AT_1000);
    const acc = await lookup(s.db, 'L-RAW-2');
    const { activityId } = await ws.handlers.logOutcome({
      accountId: acc.accountId,
      channel: 'call',
      contactPointId: acc.phoneId,
      disposition: 'no_answer',
      ...NONE,
      promise: null,
    });
    await ws.handlers.syncNow(undefined);
    const [stored] = await s.db.query<{ manual: boolean; v: string[] | null }>(
      'SELECT manual_dial AS manual, compliance_violation AS v FROM activities WHERE id = $1',
      [activityId],
    );
    expect(stored).toEqual({ manual: true, v: null });
    const detail = await ws.handlers.getAccount({ accountId: acc.accountId });
    expect(detail.activities.find((a) => a.id === activityId)?.manualDial).toBe(true);
  }, 60_000);

  it('the server refuses an online-logged outbound contact the law forbids (compliance_blocked); offline work and inbound are kept', async () => {
    s.clock.at = AT_0350;
    const { token } = await login(s, 'agente2', 'agente123');
    const acc = await lookup(s.db, 'L-RAW-1');
    const base = {
      accountId: acc.accountId,
      channel: 'call',
      contactPointId: acc.phoneId,
      address: '+573105556677',
      disposition: 'promise_to_pay',
    };
    const c = rawClient(s, token);

    const refusedId = randomUUID();
    const refused = await c.push('activity.log', {
      ...base,
      id: refusedId,
      startedAt: AT_0350.toISOString(),
      loggedOnline: true,
      manualDial: true,
    });
    expect(refused.status).toBe('rejected');
    expect(refused.error?.code).toBe('compliance_blocked');
    expect(refused.error?.message).toMatch(/next allowed 2026-11-25T12:00:00.000Z/);
    expect(await s.db.query('SELECT 1 FROM activities WHERE id = $1', [refusedId])).toHaveLength(0);

    // made offline at 03:50, pushed at 10:00: judged at the time it was made, kept and flagged (as before)
    s.clock.at = AT_1000;
    const lateId = randomUUID();
    expect((await c.push('activity.log', { ...base, id: lateId, startedAt: AT_0350.toISOString(), loggedOnline: true })).status).toBe(
      'applied',
    );
    // a softphone record (loggedOnline false) is a fact: kept and flagged even when fresh
    s.clock.at = new Date(AT_0350.getTime() + 60_000);
    const softId = randomUUID();
    expect(
      (await c.push('activity.log', { ...base, id: softId, disposition: null, startedAt: AT_0350.toISOString(), sipStatus: 486 })).status,
    ).toBe('applied');
    // inbound, logged online at 03:50: recorded as inbound, not judged
    const inId = randomUUID();
    expect(
      (await c.push('activity.log', { ...base, id: inId, direction: 'inbound', startedAt: AT_0350.toISOString(), loggedOnline: true }))
        .status,
    ).toBe('applied');
    const rows = await s.db.query<{ id: string; direction: string; v: string[] | null }>(
      'SELECT id, direction, compliance_violation AS v FROM activities WHERE id = ANY($1::uuid[])',
      [[lateId, softId, inId]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(lateId)?.v).toContain('co.hours.time');
    expect(byId.get(softId)?.v).toContain('co.hours.time');
    expect(byId.get(inId)).toMatchObject({ direction: 'inbound', v: null });
  }, 60_000);

  it("the lead's violations list names the debtor, the account, the agent, every rule, and whether it was made online", async () => {
    const { token } = await login(s, 'agente2', 'agente123');
    const acc = await lookup(s.db, 'L-RAW-2');
    const c = rawClient(s, token);
    // two softphone calls on the same debtor a second apart, pushed at once: the second breaks the daily cap, online
    const now = Date.now();
    const [first, second] = [randomUUID(), randomUUID()];
    for (const [id, at] of [
      [first, now - 1000],
      [second, now],
    ] as const) {
      expect(
        (
          await c.push('activity.log', {
            id,
            accountId: acc.accountId,
            channel: 'call',
            contactPointId: acc.phoneId,
            address: '+573209998877',
            disposition: null,
            startedAt: new Date(at).toISOString(),
            sipStatus: 486,
          })
        ).status,
      ).toBe('applied');
    }
    const { token: lider } = await login(s, 'lider', 'lider123');
    const list = await call(s, 'GET', '/api/v1/compliance/violations', { token: lider });
    expect(list.status).toBe(200);
    type V = {
      activityId: string;
      made: string;
      debtorName: string;
      externalRef: string;
      agentName: string;
      agentUsername: string;
      ruleIds: string[];
      debtorTimeZone: string;
    };
    const online = (list.body as V[]).find((v) => v.activityId === second);
    expect(online).toMatchObject({
      made: 'online',
      debtorName: 'Carla Díaz',
      externalRef: 'L-RAW-2',
      agentUsername: 'agente2',
      debtorTimeZone: 'America/Bogota',
    });
    expect(online!.agentName).not.toBe('');
    expect(online!.ruleIds).toContain('co.freq.daily');
    // made at 03:50 and synced hours later (the third test's late push): offline
    const offline = (list.body as V[]).filter((v) => v.debtorName === 'Beto Ruiz');
    expect(offline.length).toBeGreaterThan(0);
    expect(offline.every((v) => v.made === 'offline' && v.externalRef === 'L-RAW-1')).toBe(true);
  }, 60_000);

  it('a refusal by a cap names the contact that holds it: channel, moment, the other account of the same debtor, the agent, the day it frees', async () => {
    s.clock.at = AT_1000;
    const ws = await agentWorkstation('agente1', () => AT_1000);
    const one = await lookup(s.db, 'L-TWO-1');
    const two = await lookup(s.db, 'L-TWO-2');
    await ws.handlers.logOutcome({
      accountId: one.accountId,
      channel: 'call',
      contactPointId: one.phoneId,
      disposition: 'no_answer',
      ...NONE,
      promise: null,
    });
    const d = await ws.handlers.checkContact({ accountId: two.accountId, contactPointId: two.phoneId, channel: 'sms' });
    expect(d.allowed).toBe(false);
    const week = d.reasons.find((r) => r.ruleId === 'co.freq.one_channel_week');
    expect(week?.heldBy).toMatchObject({
      accountId: one.accountId,
      externalRef: 'L-TWO-1',
      channel: 'call',
      at: AT_1000.toISOString(),
      freesAt: '2026-12-02T05:00:00.000Z',
    });
    expect(week?.heldBy?.agentName).toBeTruthy();
  }, 60_000);
});
