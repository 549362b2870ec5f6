import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDetail } from '../../../src/shared/api/contract';
import { startTestServer, type TestServer } from '../../helpers/server';
import { SimAgent } from '../../torture/agents';

/**
 * The conflict rule per mutable field (docs/sync.md): server order — the edit the server applies
 * last wins — field by field; do-not-contact is sticky against agents' clears; a call's outcome
 * is set once. Client clocks are skewed by ±2 h and play no part: the agent whose clock says
 * "later" loses when its edit reaches the server first.
 */
const H2 = 2 * 3_600_000;
let server: TestServer;
let agent: SimAgent; // agente1, clock 2 h ahead
let lead: SimAgent; // lider (sees agente1's accounts), clock 2 h behind
let accounts: string[];

beforeAll(async () => {
  server = await startTestServer({ backend: 'pg', seed: { accounts: 40 } });
  agent = await SimAgent.start({
    name: 'agente1',
    serverUrl: server.url,
    username: 'agente1',
    password: 'agente123',
    skewMs: H2,
    proxy: { seed: 1, mode: 'pass' },
  });
  lead = await SimAgent.start({
    name: 'lider',
    serverUrl: server.url,
    username: 'lider',
    password: 'lider123',
    skewMs: -H2,
    proxy: { seed: 2, mode: 'pass' },
  });
  await agent.login();
  await lead.login();
  await agent.settle();
  await lead.settle();
  accounts = (await agent.visibleAccountIds()).sort();
  const leadSees = new Set(await lead.visibleAccountIds());
  expect(accounts.length).toBeGreaterThan(6);
  for (const id of accounts) expect(leadSees.has(id)).toBe(true);
});
afterAll(async () => {
  await agent?.close();
  await lead?.close();
  await server?.close();
});

async function settleAll(...who: SimAgent[]): Promise<void> {
  for (const a of who) a.proxy.setMode('pass');
  // twice: each also pulls what the other pushed
  for (let i = 0; i < 2; i++) for (const a of who) expect(await a.settle()).toMatchObject({ pending: 0, lastError: null });
}

const detail = (a: SimAgent, accountId: string): Promise<AccountDetail> => a.api.getAccount({ accountId });

async function serverAccount(id: string) {
  const [row] = await server.db.query<{ callbackAt: Date | null; status: string }>(
    'SELECT callback_at AS "callbackAt", status FROM accounts WHERE id = $1',
    [id],
  );
  return { callbackAt: row?.callbackAt?.toISOString() ?? null, status: row?.status };
}
async function serverContactPoint(id: string) {
  const [row] = await server.db.query<{ invalid: boolean; verified: boolean; doNotContact: boolean }>(
    'SELECT invalid, verified, do_not_contact AS "doNotContact" FROM contact_points WHERE id = $1',
    [id],
  );
  return row!;
}
async function phoneOf(accountId: string): Promise<string> {
  const d = await detail(agent, accountId);
  const cp = d.contactPoints[0];
  if (!cp) throw new Error(`account ${accountId} has no contact point`);
  return cp.id;
}

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const iso = (s: string | null) => (s === null ? null : new Date(s).toISOString());

describe('callback time: last applied wins; clock skew changes nothing', () => {
  it('the edit that reaches the server last wins, whichever client clock reads later', async () => {
    const id = accounts[0]!;
    const t1 = inHours(5);
    const t2 = inHours(30);
    // Round 1: the lead (clock 2 h behind) syncs first, the agent (clock 2 h ahead) last.
    agent.proxy.setMode('offline');
    lead.proxy.setMode('offline');
    await agent.api.setCallback({ accountId: id, callbackAt: t1, note: 'agente' });
    await lead.api.setCallback({ accountId: id, callbackAt: t2, note: 'líder' });
    lead.proxy.setMode('pass');
    await lead.settle();
    expect((await serverAccount(id)).callbackAt).toBe(iso(t2));
    await settleAll(agent, lead);
    expect((await serverAccount(id)).callbackAt).toBe(iso(t1));
    expect(iso((await detail(agent, id)).account.callbackAt)).toBe(iso(t1));
    expect(iso((await detail(lead, id)).account.callbackAt)).toBe(iso(t1));

    // Round 2, same clocks, opposite order: now the agent's "later" clock loses.
    const t3 = inHours(8);
    const t4 = inHours(48);
    agent.proxy.setMode('offline');
    lead.proxy.setMode('offline');
    await lead.api.setCallback({ accountId: id, callbackAt: t4, note: 'líder 2' });
    await agent.api.setCallback({ accountId: id, callbackAt: t3, note: 'agente 2' });
    agent.proxy.setMode('pass');
    await agent.settle();
    await settleAll(lead, agent);
    expect((await serverAccount(id)).callbackAt).toBe(iso(t4));
    expect(iso((await detail(agent, id)).account.callbackAt)).toBe(iso(t4));
    expect((await detail(agent, id)).account.callbackNote).toBe('líder 2');
    expect(iso((await detail(lead, id)).account.callbackAt)).toBe(iso(t4));
  });

  it('mutations carry the skewed client time, and the server ignores it for ordering', async () => {
    const id = accounts[1]!;
    agent.proxy.setMode('offline');
    await agent.api.setCallback({ accountId: id, callbackAt: inHours(3), note: null });
    const pending = agent.highestMutationId();
    expect(pending).toBeGreaterThan(0);
    await settleAll(agent);
    const [client] = await server.db.query<{ last: number }>('SELECT last_mutation_id AS last FROM sync_clients WHERE client_id = $1', [
      agent.clientId,
    ]);
    expect(client?.last).toBe(pending);
    // the note the agent made 2 h "in the future" is stored with its own clock, recorded with the server's
    const { noteId } = await agent.api.addNote({ accountId: id, body: 'reloj adelantado' });
    await settleAll(agent);
    const [note] = await server.db.query<{ createdAt: Date; recordedAt: Date }>(
      'SELECT created_at AS "createdAt", recorded_at AS "recordedAt" FROM notes WHERE id = $1',
      [noteId],
    );
    expect(note!.createdAt.getTime() - note!.recordedAt.getTime()).toBeGreaterThan(H2 - 60_000);
    expect(Math.abs(note!.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });
});

describe('contact point flags', () => {
  it('invalid and verified change field by field: both edits stick', async () => {
    const id = accounts[2]!;
    const cp = await phoneOf(id);
    agent.proxy.setMode('offline');
    lead.proxy.setMode('offline');
    await agent.api.flagContactPoint({ contactPointId: cp, invalid: true });
    await lead.api.flagContactPoint({ contactPointId: cp, verified: true });
    await settleAll(lead, agent);
    expect(await serverContactPoint(cp)).toMatchObject({ invalid: true, verified: true });
    for (const who of [agent, lead]) {
      expect((await detail(who, id)).contactPoints.find((c) => c.id === cp)).toMatchObject({ invalid: true, verified: true });
    }
  });

  it('invalid: an edit made earlier but applied later wins (server order, not wall time)', async () => {
    const id = accounts[3]!;
    const cp = await phoneOf(id);
    agent.proxy.setMode('offline');
    await agent.api.flagContactPoint({ contactPointId: cp, invalid: true }); // earlier, stuck offline
    await new Promise((r) => setTimeout(r, 20));
    await lead.api.flagContactPoint({ contactPointId: cp, invalid: false }); // later, online: applied first
    await lead.settle();
    expect((await serverContactPoint(cp)).invalid).toBe(false);
    await settleAll(agent, lead);
    expect((await serverContactPoint(cp)).invalid).toBe(true);
    expect((await detail(lead, id)).contactPoints.find((c) => c.id === cp)?.invalid).toBe(true);
  });

  it("do-not-contact is sticky: an agent's clear (stale offline copy) loses; the lead can clear; setting wins from anyone", async () => {
    const id = accounts[4]!;
    const cp = await phoneOf(id);
    agent.proxy.setMode('offline');
    await lead.api.flagContactPoint({ contactPointId: cp, doNotContact: true });
    await lead.settle();
    // the agent, offline, has not seen it and clears the flag on their copy
    await agent.api.flagContactPoint({ contactPointId: cp, doNotContact: false });
    await settleAll(agent, lead);
    expect((await serverContactPoint(cp)).doNotContact).toBe(true);
    expect((await detail(agent, id)).contactPoints.find((c) => c.id === cp)?.doNotContact).toBe(true);
    expect((await agent.api.getSyncState()).rejected).toEqual([]); // acknowledged, no effect, never blocks

    await lead.api.flagContactPoint({ contactPointId: cp, doNotContact: false });
    await settleAll(lead, agent);
    expect((await serverContactPoint(cp)).doNotContact).toBe(false);
    expect((await detail(agent, id)).contactPoints.find((c) => c.id === cp)?.doNotContact).toBe(false);

    lead.proxy.setMode('offline');
    await lead.api.flagContactPoint({ contactPointId: cp, doNotContact: false }); // stale, applied last
    await agent.api.flagContactPoint({ contactPointId: cp, doNotContact: true });
    await agent.settle();
    await settleAll(lead, agent);
    // the lead's clear applied after the agent's set: the lead is allowed to clear, last applied wins
    expect((await serverContactPoint(cp)).doNotContact).toBe(false);
    await agent.api.flagContactPoint({ contactPointId: cp, doNotContact: true });
    await settleAll(agent, lead);
    expect((await serverContactPoint(cp)).doNotContact).toBe(true);
    expect((await detail(lead, id)).contactPoints.find((c) => c.id === cp)?.doNotContact).toBe(true);
  });
});

describe('an edit the server acknowledges with no effect', () => {
  it("an agent clears a do-not-contact flag their store already had: after sync the store shows the server's flag again", async () => {
    const id = accounts[7]!;
    const cp = await phoneOf(id);
    await lead.api.flagContactPoint({ contactPointId: cp, doNotContact: true });
    await settleAll(lead, agent);
    expect((await detail(agent, id)).contactPoints.find((c) => c.id === cp)?.doNotContact).toBe(true);

    await agent.api.flagContactPoint({ contactPointId: cp, doNotContact: false });
    await settleAll(agent);
    expect((await serverContactPoint(cp)).doNotContact).toBe(true);
    // The client's optimistic clear must not outlive the server's refusal: the compliance check
    // on the workstation reads this flag before every call.
    expect((await detail(agent, id)).contactPoints.find((c) => c.id === cp)?.doNotContact).toBe(true);
    const check = await agent.api.checkContact({ accountId: id, contactPointId: cp, channel: 'call' });
    expect(check.allowed).toBe(false);
  });
});

describe('account status', () => {
  it("last applied outcome-implied status wins, and both stores end on the server's value", async () => {
    const id = accounts[5]!;
    agent.proxy.setMode('offline');
    // inbound: logged outbound contacts are checked like placing them (refused at night, or twice a day); this test is about sync
    await agent.api.logOutcome({
      accountId: id,
      channel: 'call',
      direction: 'inbound',
      disposition: 'dispute',
      note: 'no reconoce la deuda',
    });
    await lead.api.logOutcome({ accountId: id, channel: 'call', direction: 'inbound', disposition: 'bankrupt', note: 'en insolvencia' });
    await lead.settle();
    expect((await serverAccount(id)).status).toBe('bankrupt');
    await settleAll(agent, lead);
    expect((await serverAccount(id)).status).toBe('dispute');
    expect((await detail(agent, id)).account.status).toBe('dispute');
    expect((await detail(lead, id)).account.status).toBe('dispute');
  });
});

describe("a call's outcome is set once", () => {
  it('two machines of the same agent disposition the same call: the first applied wins, the loser changes nothing', async () => {
    const id = accounts[6]!;
    const second = await SimAgent.start({
      name: 'agente1-b',
      serverUrl: server.url,
      username: 'agente1',
      password: 'agente123',
      proxy: { seed: 3, mode: 'pass' },
    });
    try {
      await second.login();
      const callId = randomUUID();
      await agent.api.logCallAttempt({
        id: callId,
        accountId: id,
        contactPointId: null,
        address: '+573001112233',
        direction: 'outbound',
        startedAt: new Date(Date.now() - 120_000).toISOString(),
        answeredAt: new Date(Date.now() - 100_000).toISOString(),
        endedAt: new Date().toISOString(),
        durationSec: 100,
        sipStatus: 200,
        hangupBy: 'agent',
      });
      await settleAll(agent, second);
      expect((await detail(second, id)).activities.some((a) => a.id === callId)).toBe(true);
      const statusBefore = (await serverAccount(id)).status;

      agent.proxy.setMode('offline');
      second.proxy.setMode('offline');
      await agent.api.logOutcome({ accountId: id, channel: 'call', disposition: 'no_answer', callActivityId: callId });
      await second.api.logOutcome({
        accountId: id,
        channel: 'call',
        disposition: 'deceased',
        callActivityId: callId,
        note: 'dice que falleció',
      });
      agent.proxy.setMode('pass');
      await agent.settle();
      await settleAll(second, agent);

      const [row] = await server.db.query<{ disposition: string }>('SELECT disposition FROM activities WHERE id = $1', [callId]);
      expect(row?.disposition).toBe('no_answer');
      for (const who of [agent, second]) {
        expect((await detail(who, id)).activities.find((a) => a.id === callId)?.disposition).toBe('no_answer');
      }
      // The losing outcome was discarded; its implied status ("deceased") must go with it, or the
      // account ends up in a status no recorded outcome explains.
      expect((await serverAccount(id)).status).toBe(statusBefore);
      expect((await detail(agent, id)).account.status).toBe(statusBefore);
    } finally {
      await second.close();
    }
  });
});
