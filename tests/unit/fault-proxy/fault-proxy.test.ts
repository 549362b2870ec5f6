import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createRng,
  DEFAULT_WEIGHTS,
  FAULT_KINDS,
  pickWeighted,
  startFaultProxy,
  type Decision,
  type FaultProxy,
} from '../../helpers/fault-proxy';

/** A tiny real server that records what actually reached it, complete or cut. */
interface Seen {
  path: string;
  body: string;
  complete: boolean;
  at: number;
}

async function startRecorder(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    const entry: Seen = { path: req.url ?? '', body: '', complete: false, at: Date.now() };
    seen.push(entry);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('aborted', () => {
      entry.body = Buffer.concat(chunks).toString();
    });
    req.on('end', () => {
      entry.body = Buffer.concat(chunks).toString();
      entry.complete = true;
      const payload = JSON.stringify({ echo: entry.body, path: entry.path, n: seen.length, pad: 'x'.repeat(2000) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(payload);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const always = (d: Decision) => () => d;

async function post(url: string, body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: res.status, json: await res.json() };
}

let rec: Awaited<ReturnType<typeof startRecorder>>;
let proxy: FaultProxy | undefined;
beforeEach(async () => {
  rec = await startRecorder();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await rec.close();
});

const body = JSON.stringify({ mutations: Array.from({ length: 200 }, (_, i) => ({ id: i + 1, name: 'note.add' })) });

describe('fault proxy', () => {
  it('passes requests through untouched', async () => {
    proxy = await startFaultProxy({ target: rec.url, seed: 1, plan: always('pass') });
    const r = await post(`${proxy.url}/api/v1/sync/push?x=1`, body);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ echo: body, path: '/api/v1/sync/push?x=1' });
    expect(rec.seen).toHaveLength(1);
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 1, totalFaults: 0 });
  });

  it('drop_request: the client fails and the server never sees the request', async () => {
    proxy = await startFaultProxy({ target: rec.url, seed: 1, plan: always('drop_request') });
    await expect(post(`${proxy.url}/p`, body)).rejects.toThrow();
    expect(rec.seen).toHaveLength(0);
    expect(proxy.stats().faults.drop_request).toBe(1);
  });

  it('drop_response: the server handled the whole request but the client gets no answer', async () => {
    proxy = await startFaultProxy({ target: rec.url, seed: 1, plan: always('drop_response') });
    await expect(post(`${proxy.url}/p`, body)).rejects.toThrow();
    expect(rec.seen).toHaveLength(1);
    expect(rec.seen[0]).toMatchObject({ complete: true, body });
    expect(proxy.stats().faults.drop_response).toBe(1);
  });

  it('duplicate: the server receives the same request twice, the client one answer', async () => {
    proxy = await startFaultProxy({ target: rec.url, seed: 7, plan: always('duplicate'), maxHoldMs: 100 });
    for (let i = 0; i < 4; i++) {
      const r = await post(`${proxy.url}/d${i}`, body);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ echo: body, path: `/d${i}` });
    }
    await proxy.idle();
    expect(rec.seen).toHaveLength(8);
    for (let i = 0; i < 4; i++) expect(rec.seen.filter((s) => s.path === `/d${i}` && s.complete && s.body === body)).toHaveLength(2);
    expect(proxy.stats()).toMatchObject({ requests: 4, forwarded: 8 });
    expect(proxy.stats().faults.duplicate).toBe(4);
  });

  it("duplicate: some copies arrive late, behind the client's next request", async () => {
    proxy = await startFaultProxy({
      target: rec.url,
      seed: 11,
      maxHoldMs: 300,
      plan: (req) => (req.path.startsWith('/dup') ? 'duplicate' : 'pass'),
    });
    for (let i = 0; i < 12; i++) {
      expect((await post(`${proxy.url}/dup${i}`, body)).status).toBe(200);
      expect((await post(`${proxy.url}/next${i}`, body)).status).toBe(200);
    }
    await proxy.idle();
    const order = rec.seen.map((s) => s.path);
    const lateOnes = Array.from({ length: 12 }, (_, i) => i).filter((i) => order.lastIndexOf(`/dup${i}`) > order.indexOf(`/next${i}`));
    expect(lateOnes.length).toBeGreaterThan(0);
    expect(lateOnes.length).toBeLessThan(12);
    for (let i = 0; i < 12; i++) expect(order.filter((p) => p === `/dup${i}`)).toHaveLength(2);
  });

  it('delay: bounded by maxDelayMs', async () => {
    proxy = await startFaultProxy({ target: rec.url, seed: 3, plan: always('delay'), maxDelayMs: 150 });
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) expect((await post(`${proxy.url}/x`, body)).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(5 * 150 + 500);
    expect(proxy.stats().faults.delay).toBe(5);
  });

  it('reorder: a held request reaches the server after a later one', async () => {
    proxy = await startFaultProxy({
      target: rec.url,
      seed: 1,
      maxHoldMs: 5000,
      plan: (req) => (req.n === 1 ? 'reorder' : 'pass'),
    });
    const first = post(`${proxy.url}/first`, body);
    await new Promise((r) => setTimeout(r, 50));
    const second = await post(`${proxy.url}/second`, body);
    expect(second.status).toBe(200);
    expect((await first).status).toBe(200);
    expect(rec.seen.map((s) => s.path)).toEqual(['/second', '/first']);
  });

  it('reorder: the hold is bounded when no later request comes', async () => {
    proxy = await startFaultProxy({ target: rec.url, seed: 1, maxHoldMs: 200, plan: always('reorder') });
    const t0 = Date.now();
    expect((await post(`${proxy.url}/alone`, body)).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(proxy.stats().faults.reorder).toBe(1);
  });

  it('cut_request: the server sees a truncated body, the client an error', async () => {
    proxy = await startFaultProxy({ target: rec.url, seed: 5, plan: always('cut_request') });
    await expect(post(`${proxy.url}/cut`, body)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    expect(rec.seen).toHaveLength(1);
    expect(rec.seen[0]!.complete).toBe(false);
    expect(rec.seen[0]!.body.length).toBeLessThan(body.length);
  });

  it('cut_response: the server handled it, the client gets half an answer and fails', async () => {
    proxy = await startFaultProxy({ target: rec.url, seed: 5, plan: always('cut_response') });
    await expect(post(`${proxy.url}/cut`, body)).rejects.toThrow();
    expect(rec.seen).toHaveLength(1);
    expect(rec.seen[0]).toMatchObject({ complete: true, body });
  });

  it.each(['status_500', 'status_502', 'status_503'] as const)('%s: answered by the proxy without forwarding', async (kind) => {
    proxy = await startFaultProxy({ target: rec.url, seed: 1, plan: always(kind) });
    const r = await post(`${proxy.url}/s`, body);
    expect(r.status).toBe(Number(kind.slice(7)));
    expect(r.json).toMatchObject({ error: { code: 'injected_fault' } });
    expect(rec.seen).toHaveLength(0);
    expect(proxy.stats().faults[kind]).toBe(1);
  });

  it('offline mode refuses everything and is not counted as a fault; pass mode injects nothing', async () => {
    proxy = await startFaultProxy({ target: rec.url, seed: 1, plan: always('status_500'), mode: 'offline' });
    await expect(post(`${proxy.url}/o`, body)).rejects.toThrow();
    proxy.setMode('pass');
    expect((await post(`${proxy.url}/o`, body)).status).toBe(200);
    proxy.setMode('faulty');
    expect((await post(`${proxy.url}/o`, body)).status).toBe(500);
    expect(proxy.stats()).toMatchObject({ refusedOffline: 1, totalFaults: 1 });
  });

  it('maxFaults bounds the number of faults; only() limits them to some paths', async () => {
    proxy = await startFaultProxy({
      target: rec.url,
      seed: 1,
      plan: always('status_503'),
      maxFaults: 2,
      only: (p) => p.startsWith('/sync'),
    });
    expect((await post(`${proxy.url}/login`, body)).status).toBe(200);
    expect((await post(`${proxy.url}/sync`, body)).status).toBe(503);
    expect((await post(`${proxy.url}/sync`, body)).status).toBe(503);
    expect((await post(`${proxy.url}/sync`, body)).status).toBe(200);
    expect(proxy.stats()).toMatchObject({ requests: 4, totalFaults: 2 });
  });

  it('a mixed seeded run counts every fault by kind, and the same seed draws the same faults', async () => {
    const run = async () => {
      const p = await startFaultProxy({ target: rec.url, seed: 4242, weights: DEFAULT_WEIGHTS, maxDelayMs: 20, maxHoldMs: 30 });
      const outcomes: string[] = [];
      for (let i = 0; i < 60; i++) {
        try {
          outcomes.push(String((await post(`${p.url}/m${i}`, body)).status));
        } catch {
          outcomes.push('err');
        }
      }
      const s = p.stats();
      await p.close();
      return { outcomes, s };
    };
    const a = await run();
    const b = await run();
    expect(a.outcomes).toEqual(b.outcomes);
    expect(a.s.faults).toEqual(b.s.faults);
    const counted = FAULT_KINDS.reduce((sum, k) => sum + a.s.faults[k], 0);
    expect(counted).toBe(a.s.totalFaults);
    expect(a.s.totalFaults).toBeGreaterThan(10);
    expect(a.outcomes.filter((o) => o === 'err').length).toBe(
      a.s.faults.drop_request + a.s.faults.drop_response + a.s.faults.cut_request + a.s.faults.cut_response,
    );
  });

  it('the PRNG is deterministic and roughly uniform', () => {
    const a = createRng(99);
    const b = createRng(99);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    const r = createRng(1);
    const counts = { pass: 0, drop_request: 0 } as Record<string, number>;
    for (let i = 0; i < 1000; i++) counts[pickWeighted(r, { pass: 3, drop_request: 1 })]! += 1;
    expect(counts.pass! / 1000).toBeGreaterThan(0.68);
    expect(counts.pass! / 1000).toBeLessThan(0.82);
  });
});
