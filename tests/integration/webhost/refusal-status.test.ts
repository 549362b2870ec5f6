import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkstation, type Workstation } from '../../../src/main/services';
import { startWebHost, type WebHost } from '../../../src/main/webhost';
import { KEY_HEADER } from '../../../src/shared/api/wire';
import { startTestServer, type TestServer } from '../../helpers/server';
import { until } from '../../helpers/until';

// Sunday 29 Nov 2026, 09:00 UTC: night everywhere in the Americas, and Sunday — no outbound contact is legal.
const SUNDAY_NIGHT = new Date('2026-11-29T09:00:00Z');

let server: TestServer;
let ws: Workstation;
let host: WebHost;
let dataDir: string;
let root: string;

beforeAll(async () => {
  server = await startTestServer({ backend: 'pglite', seed: { accounts: 10 } });
  dataDir = mkdtempSync(join(tmpdir(), 'webhost-refusal-'));
  root = mkdtempSync(join(tmpdir(), 'webhost-refusal-root-'));
  mkdirSync(join(root, 'renderer'), { recursive: true });
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>Cobranza</title>');
  ws = await createWorkstation({ dataDir, defaultServerUrl: server.url, syncIntervalMs: 3_600_000, now: () => SUNDAY_NIGHT });
  host = await startWebHost({ workstation: ws, rendererDir: join(root, 'renderer'), host: '127.0.0.1' });
  await ws.handlers.login({ username: 'agente1', password: 'agente123' });
  await ws.handlers.syncNow(undefined);
}, 60_000);
afterAll(async () => {
  await host?.close();
  await ws?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

async function api(
  method: string,
  input: unknown,
): Promise<{ status: number; body: { ok: boolean; error?: { code: string; field?: string; message: string } } }> {
  const key = new URL(host.url).hash.replace('#key=', '');
  const res = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [KEY_HEADER]: key },
    body: JSON.stringify({ input }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

describe('a business refusal is a 4xx naming the field, never a 500', () => {
  it('a promise under the policy minimum: 422, promise_policy, on installments; the account carries the minimum beforehand', async () => {
    const { rows } = await ws.handlers.listQueue({ contactableOnly: false, sort: 'priority', dir: 'desc', offset: 0, limit: 5 });
    const accountId = rows[0]!.accountId;
    // the policy arrives with the sync's collections refresh
    const detail = await until(
      () => ws.handlers.getAccount({ accountId }),
      (d) => !!d.promisePolicy,
      20_000,
    );
    expect(detail.promisePolicy?.minPercentOfBalance).toBeGreaterThan(0);
    const r = await api('logOutcome', {
      accountId,
      channel: 'call',
      disposition: 'promise_to_pay',
      direction: 'inbound',
      promise: { installments: [{ dueDate: '2026-12-01', amountMinor: 1 }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'promise_policy', field: 'installments' });
  });

  it('an outbound contact the law forbids now: 422 compliance.blocked on direction', async () => {
    const { rows } = await ws.handlers.listQueue({ contactableOnly: false, sort: 'priority', dir: 'desc', offset: 0, limit: 5 });
    const r = await api('logOutcome', { accountId: rows[0]!.accountId, channel: 'visit', disposition: 'no_answer' });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'compliance.blocked', field: 'direction' });
  });

  it('bad input stays a 400 and an unknown account a 404', async () => {
    expect((await api('logOutcome', { accountId: 'nope' })).status).toBe(400);
    expect((await api('getAccount', { accountId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });
});
