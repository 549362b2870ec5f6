// The agent's local store at 100,000 accounts: queue page, search, outcome write, and the
// resident memory of the process holding it. Targets from the walking-product issue.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalStore } from '../src/main/store/store';
import { runTs } from '../tests/integration/adversarial/processes';
import type { Account, ContactPoint, Debtor } from '../src/shared/domain/entities';
import { emptyPatch, type PullResponse } from '../src/shared/sync/protocol';
import type { BenchRow } from './run';

const N = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const SURNAMES = [
  'García',
  'Rodríguez',
  'Martínez',
  'López',
  'González',
  'Pérez',
  'Sánchez',
  'Ramírez',
  'Torres',
  'Flórez',
  'Núñez',
  'Muñoz',
];
const GIVEN = ['María', 'José', 'Luis', 'Ana', 'Carlos', 'Lucía', 'Andrés', 'Valentina', 'Jorge', 'Camila'];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}
function rssMb(): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1048576;
}

/** A synthetic full pull: N accounts, one debtor each, two contact points each. */
function* makePages(orgId: string, agentId: string, pageSize: number): Generator<PullResponse> {
  let v = 1;
  for (let start = 0; start < N; start += pageSize) {
    const patch = emptyPatch();
    for (let i = start; i < Math.min(N, start + pageSize); i++) {
      const debtorId = randomUUID();
      const name = `${GIVEN[i % GIVEN.length]} ${SURNAMES[i % SURNAMES.length]} ${SURNAMES[(i * 7) % SURNAMES.length]} ${i}`;
      const debtor: Debtor = {
        id: debtorId,
        orgId,
        externalId: `D${i}`,
        name,
        nationalId: String(10_000_000 + i),
        country: 'CO',
        timeZone: 'America/Bogota',
        debtorType: 'individual',
        segment: (['low', 'medium', 'high'] as const)[i % 3]!,
        contactPrefs: { authorizedChannels: ['call', 'sms'], preferredChannel: 'call', windows: [], preferredPaymentDay: null },
        version: String(v++),
      };
      const due = new Date(Date.UTC(2026, 10, 25) - (i % 400) * 86_400_000).toISOString().slice(0, 10);
      const account: Account = {
        id: randomUUID(),
        orgId,
        debtorId,
        externalRef: `A${i}`,
        product: 'Tarjeta de crédito',
        currency: 'COP',
        principalMinor: 2_000_000 + i,
        balanceMinor: 500_000 + (i % 997) * 1000,
        dueDate: due,
        installmentsTotal: 12,
        installmentsPaid: i % 12,
        installmentAmountMinor: 150_000,
        status: 'active',
        assignedAgentId: agentId,
        callbackAt: null,
        callbackNote: null,
        lastContactAt: null,
        version: String(v++),
      };
      const cps: ContactPoint[] = [
        {
          id: randomUUID(),
          debtorId,
          kind: 'phone',
          value: `+5731${String(10_000_000 + i).padStart(8, '0')}`,
          label: 'móvil',
          verified: true,
          invalid: false,
          doNotContact: false,
          version: String(v++),
        },
        {
          id: randomUUID(),
          debtorId,
          kind: 'email',
          value: `deudor${i}@correo.co`,
          label: null,
          verified: false,
          invalid: false,
          doNotContact: false,
          version: String(v++),
        },
      ];
      patch.debtors.push(debtor);
      patch.accounts.push(account);
      patch.contactPoints.push(...cps);
    }
    yield {
      cursor: String(v),
      hasMore: start + pageSize < N,
      reset: start === 0,
      lastMutationId: 0,
      progress: { done: Math.min(N, start + pageSize), total: N },
      serverTime: new Date().toISOString(),
      patch,
    };
  }
}

/**
 * The workload on a store that holds the portfolio, in the process that holds it (the child
 * measures its own resident memory: a store opened as the app opens it after a restart, not
 * the bench's generator with 100k synthetic objects on its heap).
 */
export function storeWorkload(file: string, agentId: string, key?: Buffer) {
  const t0 = performance.now();
  const store = LocalStore.open(file, { agentId, key });
  const openMs = performance.now() - t0;
  try {
    // the app's first screen reads the queue once before anyone measures anything: pages come
    // into SQLite's cache, statements are prepared
    for (const sort of ['priority', 'balance', 'dpd', 'name'] as const) store.listQueue({ sort, limit: 50 });
    store.listQueue({ bucket: '1-30', segment: 'low', limit: 50 });
    store.listQueue({ search: 'garcia', limit: 50 });
    // the same 200 pages twice: the first pass reads each from the OS (as just after a restart),
    // the second from SQLite's cache, as during the rest of a working session
    const passes: number[][] = [[], []];
    const sorts = ['priority', 'balance', 'dpd', 'name'] as const;
    for (const queue of passes) {
      for (let i = 0; i < 200; i++) {
        const [page, ms] = time(() =>
          store.listQueue({ sort: sorts[i % 4], dir: i % 2 ? 'asc' : 'desc', offset: (i % 20) * 50, limit: 50 }),
        );
        if (page.rows.length !== 50) throw new Error(`queue page returned ${page.rows.length} rows`);
        queue.push(ms);
      }
    }
    const [firstPass, queue] = passes as [number[], number[]];
    // the queue grouped by debtor (the default where the rules count contacts per debtor)
    const grouped: number[] = [];
    for (let i = 0; i < 200; i++) {
      const [page, ms] = time(() =>
        store.listQueue({ groupBy: 'debtor', sort: sorts[i % 4], dir: i % 2 ? 'asc' : 'desc', offset: (i % 20) * 50, limit: 50 }),
      );
      if (page.rows.length !== 50) throw new Error(`grouped queue page returned ${page.rows.length} rows`);
      grouped.push(ms);
    }
    const filtered: number[] = [];
    for (let i = 0; i < 100; i++) {
      const [, ms] = time(() =>
        store.listQueue({
          bucket: (['1-30', '31-60', '91-120', '180+'] as const)[i % 4],
          segment: (['low', 'high'] as const)[i % 2],
          limit: 50,
        }),
      );
      filtered.push(ms);
    }
    const search: number[] = [];
    const terms = (i: number) =>
      [
        SURNAMES[i % SURNAMES.length]!.toLowerCase().replace('í', 'i'),
        String(10_000_000 + i * 37),
        `${String(10_000_000 + i * 53).slice(-7)}`,
        `A${i * 11}`,
      ][i % 4]!;
    for (let i = 0; i < 200; i++) {
      const [page, ms] = time(() => store.listQueue({ search: terms(i), limit: 50 }));
      if (page.rows.length === 0) throw new Error(`search "${terms(i)}" found nothing`);
      search.push(ms);
    }
    const first = store.listQueue({ limit: 200 }).rows;
    const writes: number[] = [];
    for (let i = 0; i < 300; i++) {
      const row = first[i % first.length]!;
      const [, ms] = time(() =>
        store.write([
          {
            name: 'activity.log',
            args: {
              id: randomUUID(),
              accountId: row.accountId,
              channel: 'call',
              disposition: 'no_answer',
              note: 'no contesta',
              startedAt: new Date().toISOString(),
            },
          },
        ]),
      );
      writes.push(ms);
    }
    return { firstPass, queue, grouped, filtered, search, writes, rss: rssMb(), openMs };
  } finally {
    store.close();
  }
}

export async function benchStore(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  try {
    const agentId = randomUUID();
    const file = join(dir, 'store.sqlite');
    // encrypted as the app's stores are (STORE_PLAINTEXT=1 measures a plaintext store, for comparison)
    const key = process.env.STORE_PLAINTEXT === '1' ? undefined : randomBytes(32);
    const store = LocalStore.open(file, { agentId, key });
    // pages are generated outside the timed part, one at a time, as they would arrive
    let applyMs = 0;
    for (const page of makePages(randomUUID(), agentId, 5000)) applyMs += time(() => store.applyPull(page))[1];
    // what the sync engine does in the background right after a full pull
    const [, indexMs] = time(() => {
      while (store.buildPendingIndex() > 0) {
        /* next unit */
      }
    });
    store.close();

    const child = runTs(fileURLToPath(import.meta.url), {}, ['--workload', file, agentId, key?.toString('hex') ?? '']);
    const line = await child.waitFor((l) => l.startsWith('{'), 300_000);
    await child.exited;
    const r = JSON.parse(line) as ReturnType<typeof storeWorkload>;
    return [
      { name: `apply full pull of ${N} accounts (SQLite, as objects)`, value: applyMs / 1000, unit: 's' },
      { name: '  … then the sort and search indexes left for later', value: indexMs / 1000, unit: 's' },
      { name: `open after a restart (${key ? 'encrypted, ' : ''}incl. quick_check)`, value: r.openMs, unit: 'ms' },
      { name: 'queue page of 50 (4 sorts) p95', value: pct(r.queue, 95), unit: 'ms', target: '< 5', ok: pct(r.queue, 95) < 5 },
      { name: '  … the first time each page is read after a restart, p95', value: pct(r.firstPass, 95), unit: 'ms' },
      {
        name: 'queue page of 50 grouped by debtor (4 sorts) p95',
        value: pct(r.grouped, 95),
        unit: 'ms',
        target: '< 5',
        ok: pct(r.grouped, 95) < 5,
      },
      {
        name: 'queue page filtered (bucket+segment) p95',
        value: pct(r.filtered, 95),
        unit: 'ms',
        target: '< 5',
        ok: pct(r.filtered, 95) < 5,
      },
      { name: 'search name/id/phone/ref p95', value: pct(r.search, 95), unit: 'ms', target: '< 20', ok: pct(r.search, 95) < 20 },
      { name: 'outcome write incl. outbox p95', value: pct(r.writes, 95), unit: 'ms', target: '< 2', ok: pct(r.writes, 95) < 2 },
      { name: '  … p50 / max', value: `${pct(r.writes, 50).toFixed(2)} / ${Math.max(...r.writes).toFixed(2)}`, unit: 'ms' },
      { name: 'main-side process RSS with the store open, after the workload', value: r.rss, unit: 'MB', target: '< 300', ok: r.rss < 300 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--workload') {
  // the child: measure, print one JSON line
  const hex = process.argv[5];
  console.log(JSON.stringify(storeWorkload(process.argv[3]!, process.argv[4]!, hex ? Buffer.from(hex, 'hex') : undefined)));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchStore()) console.log(r);
}
