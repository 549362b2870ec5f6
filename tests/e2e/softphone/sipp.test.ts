import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, realClockEnv } from '../../helpers/browser';
import { freePort, startKamailio, type KamailioHandle } from '../../helpers/kamailio';
import type { SipCredentials } from '../../../src/shared/api/contract';
import { bundlePages, openPage, startTestApiServer, waitFor, type FixtureAccount, type TestApiServer } from './harness';
import { agentDriver, debtorDriver, type AgentDriver } from './drivers';

/**
 * A non-WebRTC leg: sipp (Debian's sip-tester) is a plain UDP desk phone / trunk calling the
 * agent's WebRTC softphone through Kamailio's UDP ↔ WebSocket bridge.
 */
const SCENARIO = fileURLToPath(new URL('./sipp/uac-expect-486.xml', import.meta.url));
const SIPP = process.env.SIPP_BIN ?? '/usr/bin/sipp';
const CALLER = '+573001234567';
const ACCOUNT: FixtureAccount = {
  id: '6e000000-0000-4000-8000-000000000001',
  debtorName: 'Rosa Díaz',
  contactPoints: [
    { id: '6e000000-0000-4000-8000-000000000002', value: CALLER },
    { id: '6e000000-0000-4000-8000-000000000003', value: '+573005550000' },
  ],
};

function runSipp(udpPort: number, localPort: number, service: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const p = spawn(
      SIPP,
      [
        `127.0.0.1:${udpPort}`,
        '-sf',
        SCENARIO,
        '-s',
        service,
        '-m',
        '1',
        '-i',
        '127.0.0.1',
        '-p',
        String(localPort),
        '-timeout',
        '20s',
        '-timeout_error',
        '-nostdin',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: realClockEnv() ?? process.env },
    );
    let output = '';
    p.stdout.on('data', (b: Buffer) => {
      output += b.toString();
    });
    p.stderr.on('data', (b: Buffer) => {
      output += b.toString();
    });
    p.on('exit', (code) => resolve({ code, output }));
  });
}

describe('plain SIP caller (sipp over UDP) → WebRTC softphone', () => {
  let kam: KamailioHandle;
  let pages: Awaited<ReturnType<typeof bundlePages>>;
  let api: TestApiServer;
  let browser: Browser;
  let agent: AgentDriver;

  beforeAll(async () => {
    kam = await startKamailio();
    pages = await bundlePages();
    const creds: SipCredentials = {
      wsUrl: kam.wsUrl,
      domain: '127.0.0.1',
      extension: '1001',
      password: 'x',
      displayName: 'Agente',
      dialPlan: { prefix: '', keepPlus: true, localCountry: null },
      iceServers: [],
      supervisorExtension: null,
    };
    api = await startTestApiServer({ pagesDir: pages.dir, credentials: creds, accounts: [ACCOUNT] });
    browser = await launchChromium();
    agent = agentDriver(await openPage(browser, `${api.url}/agent.html`, 'agent'));
    await agent.start({});
    await waitFor(agent.snapshot, (s) => s.registration === 'registered', 5_000, 'agent registered');
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    pages?.cleanup();
    await kam?.stop();
  });

  it('rings the agent with the caller matched; the agent rejects; sipp gets 486 and the attempt is logged', async () => {
    const sipp = runSipp(kam.udpPort, await freePort(), '1001');
    const ringing = await waitFor(
      agent.snapshot,
      (s) => s.call?.phase === 'incoming' && s.call.caller !== null,
      10_000,
      'incoming from sipp',
    );
    expect(ringing.call).toMatchObject({
      direction: 'inbound',
      address: CALLER,
      caller: { accountId: ACCOUNT.id, debtorName: ACCOUNT.debtorName },
    });
    expect(kam.requests().some((r) => r.method === 'INVITE' && r.proto === 'udp')).toBe(true);
    await agent.reject();
    const { code, output } = await sipp;
    expect(code, output).toBe(0);
    await waitFor(
      async () => api.attempts.length,
      (n) => n === 1,
      3_000,
      'attempt logged',
    );
    expect(api.attempts[0]).toMatchObject({ direction: 'inbound', address: CALLER, sipStatus: 486, hangupBy: 'agent', answeredAt: null });
  });

  it('turns a second caller away with 486 while the agent is on a call', async () => {
    const debtor = debtorDriver(await openPage(browser, `${api.url}/debtor.html`, 'debtorPhone'));
    const other = ACCOUNT.contactPoints[1]!;
    await debtor.start({ wsUrl: kam.wsUrl, user: other.value, domain: '127.0.0.1', mode: 'answer' });
    const res = await agent.call({ accountId: ACCOUNT.id, contactPointId: other.id, number: other.value });
    expect(res.ok).toBe(true);
    await waitFor(agent.snapshot, (s) => s.call?.phase === 'active', 5_000, 'agent on a call');
    const { code, output } = await runSipp(kam.udpPort, await freePort(), '1001');
    expect(code, output).toBe(0);
    const s = await agent.snapshot();
    expect(s.call?.phase).toBe('active');
    expect(s.call?.address).toBe(other.value);
    await agent.hangup();
  });
});
