// Softphone speed on loopback: click → INVITE sent, and INVITE → first inbound audio packet,
// over real calls through Kamailio between the product's engine and a sip.js debtor phone in
// Debian's Chromium. `npx tsx bench/softphone.ts` runs it alone; bench/run.ts imports it.
import { pathToFileURL } from 'node:url';
import type { BenchRow } from './run';
import { launchChromium } from '../tests/helpers/browser';
import { startKamailio } from '../tests/helpers/kamailio';
import { bundlePages, openPage, startTestApiServer, waitFor } from '../tests/e2e/softphone/harness';
import { agentDriver, debtorDriver } from '../tests/e2e/softphone/drivers';

const CALLS = Number(process.env.SOFTPHONE_BENCH_CALLS ?? 25);
const NUMBER = '+573001234567';
const ACCOUNT = {
  id: '7a000000-0000-4000-8000-000000000001',
  debtorName: 'Bench',
  contactPoints: [{ id: '7a000000-0000-4000-8000-000000000002', value: NUMBER }],
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? Number.NaN;
}

export async function benchSoftphone(): Promise<BenchRow[]> {
  const kam = await startKamailio();
  const pages = await bundlePages();
  const api = await startTestApiServer({
    pagesDir: pages.dir,
    credentials: {
      wsUrl: kam.wsUrl,
      domain: '127.0.0.1',
      extension: '1001',
      password: 'bench',
      displayName: 'Bench',
      dialPlan: { prefix: '', keepPlus: true, localCountry: null },
      iceServers: [],
      supervisorExtension: null,
    },
    accounts: [ACCOUNT],
  });
  const browser = await launchChromium();
  try {
    const debtor = debtorDriver(await openPage(browser, `${api.url}/debtor.html`, 'debtorPhone'));
    const agent = agentDriver(await openPage(browser, `${api.url}/agent.html`, 'agent'));
    await debtor.start({ wsUrl: kam.wsUrl, user: NUMBER, domain: '127.0.0.1', mode: 'answer' });
    await agent.start({ qualityIntervalMs: 60_000 });
    await waitFor(agent.snapshot, (s) => s.registration === 'registered', 5_000, 'registered');
    // In the app the agent logs in well before the first click; the engine warms media up then.
    await new Promise((r) => setTimeout(r, 1_000));
    const clickToInvite: number[] = [];
    const clickToDecision: number[] = [];
    const inviteToAudio: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const res = await agent.call({ accountId: ACCOUNT.id, contactPointId: ACCOUNT.contactPoints[0]!.id, number: NUMBER });
      if (!res.ok) throw new Error(`call ${i} refused: ${JSON.stringify(res)}`);
      const s = await waitFor(agent.snapshot, (x) => x.call?.timings.firstAudioAt != null, 5_000, `first audio on call ${i}`);
      const t = s.call!.timings;
      clickToInvite.push(t.inviteSentAt! - t.clickAt);
      clickToDecision.push(t.checkedAt! - t.clickAt);
      inviteToAudio.push(t.firstAudioAt! - t.inviteSentAt!);
      await agent.hangup();
      await waitFor(agent.snapshot, (x) => x.call?.phase === 'ended' && x.lastEnded !== null, 5_000, `call ${i} ended`);
    }
    if (process.env.SOFTPHONE_BENCH_DEBUG) console.error({ clickToInvite, inviteToAudio });
    const rows: BenchRow[] = [];
    // The first call of a page pays one-off costs (code paths, first HTTP connection) that the
    // warm-up does not cover: shown on its own row, and left out of the percentiles.
    for (const [name, all, target] of [
      ['click → INVITE sent', clickToInvite, 50],
      ['INVITE → first inbound audio', inviteToAudio, 500],
      ['of which click → compliance decision', clickToDecision, 50],
    ] as const) {
      const values = all.slice(1);
      const p50 = percentile(values, 50);
      const p95 = percentile(values, 95);
      rows.push({ name: `${name}, first call`, value: all[0] ?? Number.NaN, unit: 'ms' });
      rows.push({ name: `${name} p50 (next ${values.length} calls)`, value: p50, unit: 'ms', target: `< ${target}`, ok: p50 < target });
      rows.push({ name: `${name} p95 (next ${values.length} calls)`, value: p95, unit: 'ms', target: `< ${target}`, ok: p95 < target });
    }
    rows.push({
      name: 'call attempts logged',
      value: api.attempts.length,
      unit: 'calls',
      target: `= ${CALLS}`,
      ok: api.attempts.length === CALLS,
    });
    return rows;
  } finally {
    await browser.close();
    await api.close();
    pages.cleanup();
    await kam.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await benchSoftphone();
  const fmt = (v: number | string) => (typeof v === 'number' ? v.toFixed(1) : v);
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows)
    console.log(
      `${r.name.padEnd(w)}  ${fmt(r.value).padStart(8)} ${r.unit.padEnd(5)} ${r.target ?? ''} ${r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED'}`,
    );
}
