// A 1,000,000-row portfolio file (BENCH_IMPORT_ROWS to change it) uploaded to a server in its own
// process over PostgreSQL: its time, the server's peak RSS and /healthz p99 while it runs, beside
// a plain COPY of the same file into a bare table in the same run (the floor).
import { chmodSync, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { BenchRow } from './run';
import { generateDemoPortfolio } from '../src/server/portfolio/demo';
import { portfolioRowsToCsv } from '../src/server/portfolio/write-csv';
import { freePort, startServerProcess } from '../tests/integration/adversarial/processes';
import { login, startTestServer } from '../tests/helpers/server';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const PIECE = 20_000;

/** The file, written piece by piece (never the whole of it in memory): refs unique per piece. */
async function writeFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  for (let start = 0, piece = 0; start < rows; start += PIECE, piece++) {
    const n = Math.min(PIECE, rows - start);
    const list = generateDemoPortfolio({ count: n, seed: piece + 1, agents: ['agente1', 'agente2', 'agente3'], asOf: '2026-11-25' }).map(
      (r) => ({ ...r, accountRef: `P${piece}-${r.accountRef}`, debtorExternalId: `P${piece}-${r.debtorExternalId}` }),
    );
    let text = portfolioRowsToCsv(list, { separator: ';' });
    if (piece > 0) text = text.slice(text.indexOf('\n') + 1);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The file streamed as the body of one POST (chunked, no length: read in the server's worker).
 * node:http rather than fetch: fetch gives up on an answer whose headers take over 300 s, and the
 * import answers only at its end.
 */
async function upload(url: string, token: string, file: string): Promise<{ status: number; body: string }> {
  const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });
  const answered = once(req, 'response') as Promise<[IncomingMessage]>;
  await pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), req);
  const [res] = await answered;
  let body = '';
  for await (const chunk of res.setEncoding('utf8')) body += chunk as string;
  return { status: res.statusCode ?? 0, body };
}

const kb = (pid: number, key: 'VmRSS' | 'VmHWM'): number =>
  Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

export async function benchImport(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const file = join(dir, 'cartera.csv');
  const t0 = performance.now();
  await writeFile(file, ROWS);
  process.stderr.write(
    `bench import: ${ROWS} rows, ${(statSync(file).size / 1e6).toFixed(0)} MB written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  const server = await startTestServer({ backend: 'pg', seed: { accounts: 3 } });
  await server.stop();
  const child = await startServerProcess(server.databaseUrl!, await freePort());
  try {
    const url = /listening on (\S+)/.exec(child.lines.find((l) => l.includes('listening on')) ?? '')?.[1];
    if (!url) throw new Error('server process did not say where it listens');
    const pid = child.child.pid!;
    const { token } = await login({ url }, 'admin', 'admin123');
    const rssBefore = kb(pid, 'VmRSS');

    let done = false;
    const health: number[] = [];
    const poll = (async () => {
      while (!done) {
        const h0 = performance.now();
        const r = await fetch(`${url}/healthz`);
        await r.arrayBuffer();
        health.push(performance.now() - h0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const i0 = performance.now();
    const answer = await upload(`${url}/api/v1/imports/portfolio`, token, file);
    const report = JSON.parse(answer.body) as { accountsUpserted?: number; errors?: unknown[]; errorCount?: number };
    const importMs = performance.now() - i0;
    done = true;
    await poll;
    const peakKb = kb(pid, 'VmHWM');
    if (answer.status !== 200) throw new Error(`import answered ${answer.status}: ${answer.body.slice(0, 300)}`);

    // the floor: the same file into a bare table of text columns, by the database alone
    const cols = readFileSync(file, 'utf8').slice(0, 2000).split(/\r?\n/, 1)[0]!.split(';').length;
    await server.db.query(`CREATE TABLE bench_copy (${Array.from({ length: cols }, (_, i) => `c${i} text`).join(', ')})`);
    // COPY FROM a file is read by the database server's own user
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    const c0 = performance.now();
    await server.db.query(`COPY bench_copy FROM '${file}' WITH (FORMAT csv, DELIMITER ';', HEADER true)`);
    const copyMs = performance.now() - c0;

    health.sort((a, b) => a - b);
    const p99 = health[Math.min(health.length - 1, Math.floor(health.length * 0.99))] ?? 0;
    const n = ROWS.toLocaleString('en');
    return [
      {
        name: `import ${n} rows over HTTP (accounts written ${report.accountsUpserted ?? 0}, errors ${report.errorCount ?? report.errors?.length ?? 0})`,
        value: importMs / 1000,
        unit: 's',
      },
      { name: `COPY of the same ${n} rows into a plain table (floor)`, value: copyMs / 1000, unit: 's' },
      { name: 'import time / COPY time', value: importMs / copyMs, unit: '×' },
      {
        name: `server peak RSS during import (before: ${(rssBefore / 1024).toFixed(0)} MB)`,
        value: peakKb / 1024,
        unit: 'MB',
        target: '< 400',
        ok: peakKb / 1024 < 400,
      },
      {
        name: `/healthz p99 during import (${health.length} requests, max ${(health.at(-1) ?? 0).toFixed(0)} ms)`,
        value: p99,
        unit: 'ms',
        target: '< 100',
        ok: p99 < 100,
      },
    ];
  } finally {
    await child.kill();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
