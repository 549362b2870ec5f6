// The debtor's self-service page (docs/self-service.md), two targets:
// 1. first load on a poor phone connection — Chromium's network emulation (1.6 Mbps down, 150 ms
//    RTT) and 4× CPU slowdown through CDP — until the options are usable (< 2 s), with the bytes
//    transferred; beside it the floor: a bare page of the same server under the same throttle;
// 2. 200 debtors confirming plans at once (autocannon, each request a different debtor): p99 < 200 ms,
//    0 errors; beside it the floor: GET /healthz under the same 200 connections.
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './run';
import { createServer } from '../src/server/app';
import { openDb } from '../src/server/db';
import { migrate } from '../src/server/db/migrate';
import { seedDemo } from '../src/server/demo/seed';
import { createDispatcher } from '../src/server/messaging/dispatcher';
import { sessionCookie } from '../src/server/portal/identity';
import { linkForDebtor, portalSecret } from '../src/server/portal/links';
import { localDate } from '../src/shared/domain/time';
import { createTestDatabase } from '../tests/helpers/pg';
import { launchChromium } from '../tests/helpers/browser';

const DEBTORS = Number(process.env.BENCH_PORTAL_DEBTORS ?? 1000);
const CONNECTIONS = 200;

interface Debtor {
  path: string;
  cookie: string;
  body: string;
}

type Autocannon = (
  opts: Record<string, unknown>,
) => Promise<{ latency: { p99: number; p50: number }; errors: number; non2xx: number; requests: { total: number } }>;

async function cannon(opts: Record<string, unknown>) {
  // autocannon ships no types: imported by name, typed here with the little this bench reads
  const name = 'autocannon';
  const mod = (await import(name)) as { default: Autocannon };
  return mod.default(opts);
}

export async function benchPortal(): Promise<BenchRow[]> {
  const pg = await createTestDatabase('benchportal');
  const db = await openDb({ url: pg.url });
  const dispatcher = createDispatcher(db, {}, { pollMs: 3_600_000 });
  const rows: BenchRow[] = [];
  try {
    await migrate(db);
    const seed = await seedDemo(db, { accounts: DEBTORS });
    const app = createServer({ db, dispatcher });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const now = new Date();
    const key = await portalSecret(db);
    const accounts = await db.query<{ id: string; debtorId: string; balance: number; tz: string }>(
      `SELECT DISTINCT ON (a.debtor_id) a.id, a.debtor_id AS "debtorId", a.balance_minor::float8 AS balance, d.time_zone AS tz
       FROM accounts a JOIN debtors d ON d.id = a.debtor_id
       WHERE a.status = 'active' AND a.balance_minor >= 200000 AND a.currency = 'COP' ORDER BY a.debtor_id, a.balance_minor DESC`,
    );
    const debtors: Debtor[] = [];
    for (const a of accounts) {
      const link = await linkForDebtor(db, seed.orgId, a.debtorId, now, null);
      const today = localDate(now, a.tz);
      const date = `${today.slice(8, 10)}/${today.slice(5, 7)}/${today.slice(0, 4)}`;
      const down = String(Math.ceil((a.balance * 0.1) / 100) * 100);
      debtors.push({
        path: new URL(link.url).pathname,
        cookie: `ps=${sessionCookie(key, link.id, now)}`,
        body: new URLSearchParams({ accountId: a.id, kind: 'plan', installments: '3', down, date }).toString(),
      });
    }

    // ── 1. first load, throttled ──
    const browser = await launchChromium();
    try {
      const load = async (target: string, cookie: string | null, ready: string) => {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
        if (cookie) await context.addCookies([{ name: 'ps', value: cookie.slice(3), url }]);
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 150,
          downloadThroughput: (1.6 * 1024 * 1024) / 8,
          uploadThroughput: (750 * 1024) / 8,
        });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
        let bytes = 0;
        cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
        const t0 = performance.now();
        await page.goto(url + target);
        await page.locator(ready).first().waitFor({ state: 'visible' });
        const ms = performance.now() - t0;
        await context.close();
        return { ms, bytes };
      };
      const d = debtors[debtors.length - 1]!;
      debtors.pop(); // this one is looked at, not confirmed below
      const page = await load(d.path, d.cookie, 'form:has(input[name="kind"][value="plan"]) button');
      const floor = await load('/healthz', null, 'body');
      rows.push(
        {
          name: 'first load until options usable (1.6 Mbps, 150 ms RTT, 4× CPU)',
          value: Math.round(page.ms),
          unit: 'ms',
          target: '< 2000',
          ok: page.ms < 2000,
        },
        { name: '  bytes transferred', value: page.bytes, unit: 'B' },
        { name: '  floor: /healthz under the same throttle', value: Math.round(floor.ms), unit: 'ms' },
      );
    } finally {
      await browser.close();
    }

    // ── 2. one debtor at a time (the cost of a confirm alone), then 200 at once ──
    const alone: number[] = [];
    for (const d of debtors.splice(0, 20)) {
      const t0 = performance.now();
      const r = await fetch(`${url}${d.path}/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: d.cookie },
        body: d.body,
      });
      await r.text();
      alone.push(performance.now() - t0);
    }
    alone.sort((x, y) => x - y);
    rows.push({ name: 'one debtor confirming, alone: median of 20', value: Math.round(alone[10]!), unit: 'ms' });

    let next = 0;
    const confirm = await cannon({
      url,
      connections: Math.min(CONNECTIONS, debtors.length),
      amount: debtors.length,
      timeout: 20,
      requests: [
        {
          method: 'POST',
          setupRequest: (req: Record<string, unknown>) => {
            const d = debtors[next++ % debtors.length]!;
            return {
              ...req,
              path: `${d.path}/confirm`,
              headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: d.cookie },
              body: d.body,
            };
          },
        },
      ],
    });
    const [made] = await db.query<{ n: number }>(`SELECT count(*)::int - 20 AS n FROM promises WHERE channel = 'self_service'`);
    const floor = await cannon({ url: `${url}/healthz`, connections: CONNECTIONS, amount: debtors.length, timeout: 20 });
    const errors = confirm.errors + confirm.non2xx;
    rows.push(
      {
        name: `${CONNECTIONS} debtors confirming a plan: p99`,
        value: confirm.latency.p99,
        unit: 'ms',
        target: '< 200',
        ok: confirm.latency.p99 < 200,
      },
      { name: '  p50', value: confirm.latency.p50, unit: 'ms' },
      { name: '  errors (network + non-2xx)', value: errors, unit: '', target: '0', ok: errors === 0 },
      {
        name: '  promise series created / confirms sent',
        value: `${made!.n}/${confirm.requests.total}`,
        unit: '',
        ok: made!.n === confirm.requests.total,
      },
      { name: `  floor: GET /healthz, ${CONNECTIONS} connections, p99`, value: floor.latency.p99, unit: 'ms' },
    );
    await app.close();
  } finally {
    await dispatcher.close();
    await db.close();
    await pg.drop();
  }
  return rows;
}
