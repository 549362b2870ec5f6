import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportReport } from '../../../src/shared/domain/portfolio';
import { generateDemoPortfolio } from '../../../src/server/portfolio/demo';
import { portfolioRowsToCsv } from '../../../src/server/portfolio/write-csv';
import { login, startTestServer, type TestServer } from '../../helpers/server';
import { freePort, startServerProcess, type WatchedChild } from '../adversarial/processes';

// Big writers in bounded steps (issue #19): a server killed (SIGKILL) in the middle of a portfolio
// file leaves the batches it committed and nothing of the one in flight; loading the same file
// again finishes it, and nothing is written twice (accounts, debtors, contact points, assignments).

const ROWS = 10_000; // five batches of 2,000 on PostgreSQL

describe('a portfolio file after a crash mid-file, on pg', () => {
  let s: TestServer;
  let child: WatchedChild | null = null;
  beforeAll(async () => {
    s = await startTestServer({ backend: 'pg', seed: { accounts: 3 } });
    await s.stop();
  });
  afterAll(async () => {
    await child?.kill();
    await s?.close();
  });

  it('a re-run after SIGKILL finishes the file without duplicating anything', async () => {
    const rows = generateDemoPortfolio({ count: ROWS, seed: 11, agents: ['agente1', 'agente2'], asOf: '2026-11-25' }).map((r) => ({
      ...r,
      accountRef: `K-${r.accountRef}`,
      debtorExternalId: `K-${r.debtorExternalId}`,
    }));
    const text = portfolioRowsToCsv(rows, { separator: ';' });
    const upload = (url: string, token: string, importId: string) =>
      fetch(`${url}/api/v1/imports/portfolio?importId=${importId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body: text,
      });

    child = await startServerProcess(s.databaseUrl!, await freePort());
    const url = /listening on (\S+)/.exec(child.lines.find((l) => l.includes('listening on'))!)![1]!;
    const first = randomUUID();
    const token = (await login({ url }, 'admin', 'admin123')).token;
    const crashed = upload(url, token, first).catch(() => 'connection lost');
    // kill it once at least one batch is in and the file is not done
    for (;;) {
      const [run] = await s.db.query<{ written: number; status: string }>(
        'SELECT rows_written AS written, status FROM import_runs WHERE id = $1',
        [first],
      );
      if (run && run.written > 0) {
        expect(run.status).toBe('running');
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await child.kill();
    expect(await crashed).toBe('connection lost');
    const [partial] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM accounts WHERE external_ref LIKE 'K-%'`);
    expect(partial!.n).toBeGreaterThan(0);
    expect(partial!.n).toBeLessThan(ROWS);

    child = await startServerProcess(s.databaseUrl!, await freePort());
    const url2 = /listening on (\S+)/.exec(child.lines.find((l) => l.includes('listening on'))!)![1]!;
    const token2 = (await login({ url: url2 }, 'admin', 'admin123')).token;
    const answer = await upload(url2, token2, randomUUID());
    expect(answer.status).toBe(200);
    const report = ImportReport.parse(await answer.json());
    expect(report.errors).toEqual([]);
    expect(report.rowsRead).toBe(ROWS);

    const [counts] = await s.db.query<{ accounts: number; refs: number; debtors: number; logged: number; maxLogs: number; cps: number }>(
      `SELECT (SELECT count(*)::int FROM accounts WHERE external_ref LIKE 'K-%') AS accounts,
              (SELECT count(DISTINCT external_ref)::int FROM accounts WHERE external_ref LIKE 'K-%') AS refs,
              (SELECT count(*)::int FROM debtors WHERE external_id LIKE 'K-%') AS debtors,
              (SELECT count(*)::int FROM assignment_log l JOIN accounts a ON a.id = l.account_id WHERE a.external_ref LIKE 'K-%') AS logged,
              (SELECT coalesce(max(n), 0)::int FROM (SELECT count(*) AS n FROM assignment_log l JOIN accounts a ON a.id = l.account_id
                 WHERE a.external_ref LIKE 'K-%' GROUP BY l.account_id) x) AS "maxLogs",
              (SELECT count(*)::int FROM contact_points c JOIN debtors d ON d.id = c.debtor_id WHERE d.external_id LIKE 'K-%') AS cps`,
    );
    expect(counts!.accounts).toBe(ROWS);
    expect(counts!.refs).toBe(ROWS);
    expect(counts!.debtors).toBe(new Set(rows.map((r) => r.debtorExternalId)).size);
    // every account of the file has an agent: one assignment each, none logged twice
    expect(counts!.logged).toBe(ROWS);
    expect(counts!.maxLogs).toBe(1);
    const points = new Set(
      rows.flatMap((r) => [
        ...r.phones.map((p) => `${r.debtorExternalId}|phone|${p}`),
        ...r.whatsapp.map((p) => `${r.debtorExternalId}|whatsapp|${p}`),
        ...r.emails.map((e) => `${r.debtorExternalId}|email|${e}`),
        ...(r.address ? [`${r.debtorExternalId}|address|${r.address}`] : []),
      ]),
    );
    expect(counts!.cps).toBe(points.size);
  }, 600_000);
});
