import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../../src/main/webhost';
import type { Workstation } from '../../../src/main/services';
import { setApi } from '../../../src/renderer/api';
import { createHttpApi } from '../../../src/renderer/api/http';
import { useAccount } from '../../../src/renderer/stores/account';
import { followDataChanges } from '../../../src/renderer/stores/data';
import { useQueue } from '../../../src/renderer/stores/queue';
import { startTestServer, type TestServer } from '../../helpers/server';
import { until } from '../../helpers/until';
import { firstAccount, openWorkstation, waitForState } from '../sync/helpers';

/**
 * The renderer's stores driven against the real workstation through the real web host (HTTP and
 * its WebSocket), counting the renderer's requests: logging an outcome reads the open account and
 * the queue again once — on the write's dataChanged — not once by the form and once more by the event.
 */
let server: TestServer;
let ws: Workstation;
let cleanup: () => void;
let host: WebHost;
const calls: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ backend: 'pglite', seed: { accounts: 20 } });
  ({ ws, cleanup } = await openWorkstation(server.url));
  await ws.handlers.login({ username: 'agente1', password: 'agente123' });
  await waitForState(ws, (s) => s.lastSuccessAt !== null && !s.syncing);
  host = await startWebHost({ workstation: ws, rendererDir: '/nonexistent', host: '127.0.0.1' });
  const counting: typeof fetch = (input, init) => {
    calls.push(String(input).replace(/^.*\/api\//, ''));
    return fetch(input, init);
  };
  setApi(
    createHttpApi({ baseUrl: host.origin, key: host.key, fetch: counting, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket }),
  );
});
afterAll(async () => {
  setApi(null);
  await host?.close();
  await ws?.close();
  await server?.close();
  cleanup?.();
});

const count = (method: string) => calls.filter((c) => c === method).length;

describe('after a write the renderer reads again once', () => {
  it('an outcome refreshes the open account once and the queue once', async () => {
    const stop = followDataChanges();
    try {
      const row = await firstAccount(ws);
      useQueue.setState({ filters: { ...useQueue.getState().filters, showNotContactable: true } });
      await useQueue.getState().reload();
      await useAccount.getState().open(row.accountId);
      expect(useAccount.getState().detail?.account.id).toBe(row.accountId);
      // the server goes away: no sync answer may bring a dataChanged of its own into the count
      await server.stop();
      const activities = async () => useAccount.getState().detail!.activities.length;
      const logged = async (note: string) => {
        const before = await activities();
        await useAccount
          .getState()
          .logOutcome({ accountId: row.accountId, channel: 'call', direction: 'inbound', disposition: 'no_answer', note });
        expect(await until(activities, (n) => n === before + 1)).toBe(before + 1);
        await new Promise((r) => setTimeout(r, 1_000)); // a second refresh, if any, comes now
      };
      // a first outcome opens the event WebSocket (and shows the account is refreshed by the event at all)
      await logged('primera');
      calls.length = 0;

      await logged('segunda');
      expect(count('logOutcome')).toBe(1);
      expect(count('getAccount')).toBe(1);
      expect(count('listQueue')).toBe(1);
    } finally {
      stop();
      await server.restart();
    }
  });
});
