import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src/main/services';
import { WorkstationError } from '../../../src/shared/api/contract';
import { call, login } from '../../helpers/server';
import { openWorkstation } from '../sync/helpers';
import { importRows, lookup, row, startComplianceServer, type ComplianceServer } from './helpers';
import { until } from '../../helpers/until';

// Wednesday 25 Nov 2026, 10:00 in Bogotá.
const AT = new Date('2026-11-25T15:00:00Z');

let s: ComplianceServer;
const cleanups: Array<() => void | Promise<void>> = [];

beforeAll(async () => {
  s = await startComplianceServer({}, AT);
  await importRows(s, [
    row({ accountRef: 'W-SHARED-1', assignedAgent: 'agente1' }),
    row({ accountRef: 'W-SHARED-2', assignedAgent: 'agente2' }),
    row({
      debtorExternalId: 'W-D2',
      name: 'Beto Ruiz',
      nationalId: '79111222',
      accountRef: 'W-OWN-1',
      phones: ['+573105556677'],
      whatsapp: [],
      emails: [],
      assignedAgent: 'agente2',
    }),
    row({
      debtorExternalId: 'W-D3',
      name: 'Carla Díaz',
      nationalId: '79333444',
      accountRef: 'W-DNC-1',
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

const ids = (d: { reasons: Array<{ ruleId: string }> }) => d.reasons.map((r) => r.ruleId);

describe('the workstation checks offline', () => {
  it('with the cached org rules, its unsynced attempts, and refuses to queue a blocked message; the server refuses what the client could not know', async () => {
    const { token: admin } = await login(s, 'admin', 'admin123');
    expect(
      (await call(s, 'PUT', '/api/v1/org/compliance', { token: admin, body: { overrides: {}, dncNumbers: ['+573209998877'] } })).status,
    ).toBe(200);

    let now = new Date(AT);
    const ws2 = await agentWorkstation('agente2', () => now);
    const dnc = await lookup(s.db, 'W-DNC-1');
    const own = await lookup(s.db, 'W-OWN-1');
    const shared2 = await lookup(s.db, 'W-SHARED-2');
    // the org rules arrive with the sync and are cached in the agent's store
    const cached = await until(
      () => ws2.handlers.checkContact({ accountId: dnc.accountId, contactPointId: dnc.phoneId, channel: 'call' }),
      (d) => ids(d).includes('hard.org_dnc'),
    );
    expect(ids(cached)).toContain('hard.org_dnc');
    const templates = await ws2.handlers.listMessageTemplates({ accountId: own.accountId });
    const sms = templates.find((t) => t.channel === 'sms')!;
    expect(sms.preview).toContain('Beto Ruiz');

    // agent 1 calls the shared debtor at 10:00 (online); agent 2 never sees that account
    const ws1 = await agentWorkstation('agente1', () => now);
    const shared1 = await lookup(s.db, 'W-SHARED-1');
    await ws1.handlers.logCallAttempt({
      id: crypto.randomUUID(),
      accountId: shared1.accountId,
      contactPointId: shared1.phoneId,
      address: '+573001112233',
      direction: 'outbound',
      startedAt: AT.toISOString(),
      answeredAt: null,
      endedAt: AT.toISOString(),
      durationSec: 0,
      sipStatus: 480,
      hangupBy: 'remote',
    });
    await ws1.handlers.syncNow(undefined);

    // the server goes away: agent 2 works offline
    await s.stop();
    now = new Date('2026-11-25T15:30:00Z');
    expect(ids(await ws2.handlers.checkContact({ accountId: dnc.accountId, contactPointId: dnc.phoneId, channel: 'call' }))).toContain(
      'hard.org_dnc',
    );

    // an unsynced call on its own debtor blocks a second contact today, locally
    const before = await ws2.handlers.checkContact({ accountId: own.accountId, contactPointId: own.phoneId, channel: 'sms' });
    expect(before.allowed).toBe(true);
    await ws2.handlers.logCallAttempt({
      id: crypto.randomUUID(),
      accountId: own.accountId,
      contactPointId: own.phoneId,
      address: '+573105556677',
      direction: 'outbound',
      startedAt: now.toISOString(),
      answeredAt: null,
      endedAt: now.toISOString(),
      durationSec: 0,
      sipStatus: 486,
      hangupBy: 'remote',
    });
    const after = await ws2.handlers.checkContact({ accountId: own.accountId, contactPointId: own.phoneId, channel: 'sms' });
    expect(after.allowed).toBe(false);
    expect(ids(after)).toContain('co.freq.daily');
    expect(after.nextAllowedAt).not.toBeNull();
    await expect(
      ws2.handlers.sendMessage({ accountId: own.accountId, contactPointId: own.phoneId, channel: 'sms', templateId: sms.id }),
    ).rejects.toMatchObject({ code: 'compliance.blocked' } satisfies Partial<WorkstationError>);

    // on the shared debtor this workstation knows of no attempt today
    const shared2Before = await ws2.handlers.checkContact({
      accountId: shared2.accountId,
      contactPointId: shared2.phoneId,
      channel: 'sms',
    });
    expect(shared2Before.allowed).toBe(true);

    // agent 2 messages the shared debtor: allowed locally (it cannot know agent 1 called), queued offline
    const { messageId } = await ws2.handlers.sendMessage({
      accountId: shared2.accountId,
      contactPointId: shared2.phoneId,
      channel: 'sms',
      templateId: sms.id,
    });
    // the queued message counts locally at once: a call now would be a second contact today
    expect(
      ids(await ws2.handlers.checkContact({ accountId: shared2.accountId, contactPointId: shared2.phoneId, channel: 'call' })),
    ).toContain('co.freq.daily');

    // back online: the server judges with agent 1's call and refuses to send
    s.clock.at = now;
    await s.restart();
    await ws2.handlers.syncNow(undefined);
    await ws2.handlers.syncNow(undefined);
    const [msg] = await s.db.query<{ status: string }>('SELECT status FROM outbound_messages WHERE id = $1', [messageId]);
    expect(msg!.status).toBe('blocked');
    const { token: agent2 } = await login(s, 'agente2', 'agente123');
    const server = await call(s, 'POST', '/api/v1/compliance/check', {
      token: agent2,
      body: { accountId: shared2.accountId, contactPointId: shared2.phoneId, channel: 'sms' },
    });
    expect(server.body.allowed).toBe(false);
    expect(ids(server.body)).toContain('co.freq.daily');
    // the agent sees why after the sync
    const detail = await ws2.handlers.getAccount({ accountId: shared2.accountId });
    const act = detail.activities.find((a) => a.id === messageId)!;
    expect(act.disposition).toBeNull();
    expect(act.note).toMatch(/bloqueado/i);
  }, 60_000);
});
