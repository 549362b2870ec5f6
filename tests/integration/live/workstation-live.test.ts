import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src/main/services';
import { startTestServer, type TestServer } from '../../helpers/server';
import { openWorkstation } from '../sync/helpers';

/**
 * The live board between two real workstations (main side) and the server: the agent's pause
 * control and softphone events go out as reports, the lead's workstation holds the board its
 * stream keeps current; a timeline and the thresholds go through the same main side.
 */
describe('live board between workstations', () => {
  let s: TestServer;
  const opened: Array<{ ws: Workstation; cleanup: () => void }> = [];
  const open = async (username: string, password: string) => {
    const o = await openWorkstation(s.url);
    opened.push(o);
    await o.ws.handlers.login({ username, password, serverUrl: s.url });
    return o.ws;
  };
  const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (ok(v)) return v;
      if (Date.now() > end) throw new Error(`not met in ${ms} ms: ${JSON.stringify(v).slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    s = await startTestServer({ backend: 'pglite', seed: { accounts: 12 } });
  }, 120_000);
  afterAll(async () => {
    for (const o of opened) {
      await o.ws.close();
      o.cleanup();
    }
    await s?.close();
  });

  it('the lead’s board follows the agent: signed in, paused with a reason, on a call with whom, wrap-up, signed out', async () => {
    const agent = await open('agente1', 'agente123');
    const lead = await open('lider', 'lider123');
    const agentId = s.seed!.users.agente1;
    const stateOf = async () => {
      const f = await lead.handlers.getLiveBoard(undefined);
      return f.board?.agents.find((a) => a.userId === agentId);
    };
    await until(stateOf, (a) => a?.state === 'available');

    expect(await agent.handlers.setPause({ reason: 'meeting' })).toEqual({ state: 'paused', pauseReason: 'meeting' });
    await until(stateOf, (a) => a?.state === 'paused' && a.pauseReason === 'meeting', 2_000);

    const [account] = await s.db.query<{ id: string; ref: string }>(
      'SELECT id, external_ref AS ref FROM accounts WHERE assigned_agent_id = $1 ORDER BY id LIMIT 1',
      [agentId],
    );
    await agent.handlers.reportCall({ phase: 'dialing', accountId: account!.id });
    const onCall = await until(stateOf, (a) => a?.state === 'on_call', 2_000);
    expect(onCall!.call).toMatchObject({ accountId: account!.id, accountRef: account!.ref, phase: 'dialing' });
    await agent.handlers.reportCall({ phase: 'ended' });
    await until(stateOf, (a) => a?.state === 'wrap_up', 2_000);
    expect(await agent.handlers.getMyPresence(undefined)).toEqual({ state: 'wrap_up', pauseReason: null });

    const tl = await lead.handlers.getAgentTimeline({ agentId, kinds: ['pause'] });
    expect(tl.items.map((i) => [i.kind, i.pauseReason])).toEqual([['pause', 'meeting']]);

    await agent.handlers.logout(undefined);
    await until(stateOf, (a) => a?.state === 'offline', 2_000);
  });

  it('an agent’s workstation is refused the board; the admin saves the thresholds through the main side', async () => {
    const agent = await open('agente2', 'agente123');
    await expect(agent.handlers.getAgentTimeline({ agentId: s.seed!.users.agente1 })).rejects.toMatchObject({ code: expect.any(String) });
    const admin = await open('admin', 'admin123');
    const saved = await admin.handlers.saveLiveSettings({ idleMinutes: 15, blockSpikeCount: 4, blockWindowMinutes: 30, unsyncedDays: 3 });
    expect(saved.idleMinutes).toBe(15);
    const board = await until(
      () => admin.handlers.getLiveBoard(undefined),
      (f) => f.board !== null,
    );
    expect(board.board!.settings.unsyncedDays).toBe(3);
  });
});
