import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket, connect } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/browser';
import { startKamailio, type KamailioHandle } from '../../helpers/kamailio';
import type { SipCredentials } from '../../../src/shared/api/contract';
import { WORKING_HOURS, bundlePages, openPage, startTestApiServer, waitFor, type FixtureAccount, type TestApiServer } from './harness';
import { agentDriver, debtorDriver, type AgentDriver, type DebtorDriver } from './drivers';

/**
 * The softphone engine (product code, bundled for the browser) against a real Kamailio and a
 * real sip.js "debtor phone", both in Debian's headless Chromium with fake audio devices.
 */

const DOMAIN = '127.0.0.1';
const DEBTOR_NUMBER = '+573001234567';
const SUPERVISOR = '2001';
const ACCOUNT: FixtureAccount = {
  id: '5f0c6c1e-1111-4a4a-8b8b-000000000001',
  debtorName: 'María Pérez',
  contactPoints: [
    { id: '5f0c6c1e-2222-4a4a-8b8b-000000000001', value: DEBTOR_NUMBER },
    { id: '5f0c6c1e-2222-4a4a-8b8b-000000000002', value: '+573009999999', doNotContact: true },
    { id: '5f0c6c1e-2222-4a4a-8b8b-000000000003', value: '+573008888888', invalid: true },
  ],
};
const DISPUTED: FixtureAccount = {
  id: '5f0c6c1e-1111-4a4a-8b8b-000000000002',
  debtorName: 'Juan Gómez',
  status: 'dispute',
  contactPoints: [{ id: '5f0c6c1e-2222-4a4a-8b8b-000000000004', value: '+573007777777' }],
};
const OK_CP = ACCOUNT.contactPoints[0]!;

const creds = (wsUrl: string, extension = '1001'): SipCredentials => ({
  wsUrl,
  domain: DOMAIN,
  extension,
  password: 'loopback',
  displayName: 'Agente Uno',
  dialPlan: { prefix: '', keepPlus: true, localCountry: null },
  iceServers: [],
  supervisorExtension: SUPERVISOR,
});

/** A TCP relay in front of Kamailio whose client connections the test can cut: a network blip. */
async function startCuttableRelay(targetPort: number): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    cut: () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function rising(sample: () => Promise<number>, label: string): Promise<void> {
  const a = await sample();
  await waitFor(sample, (b) => b > a + 10, 5_000, `${label} packetsReceived rising from ${a}`);
}

async function stalled(sample: () => Promise<number>): Promise<number> {
  await new Promise((r) => setTimeout(r, 400)); // packets already in flight when the hold lands
  const a = await sample();
  await new Promise((r) => setTimeout(r, 1_200));
  return (await sample()) - a;
}

describe('softphone engine against Kamailio', () => {
  let kam: KamailioHandle;
  let pages: Awaited<ReturnType<typeof bundlePages>>;
  let api: TestApiServer;
  let browser: Browser;
  let agent: AgentDriver;
  let debtor: DebtorDriver;
  let supervisor: DebtorDriver;

  beforeAll(async () => {
    kam = await startKamailio();
    pages = await bundlePages();
    api = await startTestApiServer({ pagesDir: pages.dir, credentials: creds(kam.wsUrl), accounts: [ACCOUNT, DISPUTED] });
    browser = await launchChromium();
    debtor = debtorDriver(await openPage(browser, `${api.url}/debtor.html`, 'debtorPhone'));
    supervisor = debtorDriver(await openPage(browser, `${api.url}/debtor.html`, 'debtorPhone'));
    agent = agentDriver(await openPage(browser, `${api.url}/agent.html`, 'agent'));
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    pages?.cleanup();
    await kam?.stop();
  });

  it('registers the agent and the debtor phone', async () => {
    await debtor.start({ wsUrl: kam.wsUrl, user: DEBTOR_NUMBER, domain: DOMAIN });
    await supervisor.start({ wsUrl: kam.wsUrl, user: SUPERVISOR, domain: DOMAIN });
    await agent.start({ ringTimeoutMs: 3_000, reconnectInitialMs: 200, reconnectMaxMs: 1_000, qualityIntervalMs: 500 });
    const s = await waitFor(agent.snapshot, (x) => x.registration === 'registered', 5_000, 'agent registered');
    expect(s.extension).toBe('1001');
    expect((await debtor.state()).registered).toBe(true);
    expect(kam.requests().filter((r) => r.method === 'REGISTER').length).toBeGreaterThanOrEqual(3);
  });

  it('calls, talks both ways, sends DTMF, holds and resumes, hangs up and logs the attempt', async () => {
    await debtor.setMode('answer');
    const before = api.attempts.length;
    const res = await agent.call({ accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value });
    expect(res.ok).toBe(true);
    await waitFor(agent.snapshot, (s) => s.call?.phase === 'active', 5_000, 'call active');
    const t0 = Date.now();
    expect(kam.requests().some((r) => r.method === 'INVITE' && r.ruri.startsWith(`sip:${DEBTOR_NUMBER}@`))).toBe(true);

    await rising(agent.inboundPackets, 'agent');
    await rising(debtor.inboundPackets, 'debtor');

    // In-band RFC 4733 when the far end offers telephone-event (Chromium does).
    await agent.watchDtmfSender();
    expect(await agent.dtmf('12#')).toBe('rfc4733');
    await waitFor(agent.dtmfTonesPlayed, (t) => t === '12#', 3_000, 'RFC 4733 tones played');
    // SIP INFO fallback reaches the debtor's phone through Kamailio.
    await agent.setDtmfMode('info');
    expect(await agent.dtmf('47*')).toBe('info');
    await waitFor(
      async () => (await debtor.state()).infoDigits,
      (d) => d === '47*',
      3_000,
      'INFO digits at the debtor',
    );
    expect(kam.requests().filter((r) => r.method === 'INFO').length).toBe(3);
    await agent.setDtmfMode('auto');

    // Mute: packets keep flowing (silence) but the debtor hears nothing; unmute brings the voice back.
    const energyOver = async (ms: number) => {
      const a = await debtor.inboundEnergy();
      await new Promise((r) => setTimeout(r, ms));
      return (await debtor.inboundEnergy()) - a;
    };
    const speaking = await energyOver(800);
    expect(speaking).toBeGreaterThan(0);
    await agent.mute(true);
    expect((await agent.snapshot()).call?.muted).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await energyOver(800)).toBeLessThan(speaking / 20);
    await agent.mute(false);
    await waitFor(
      () => energyOver(500),
      (e) => e > speaking / 4,
      5_000,
      'voice back after unmute',
    );

    await agent.hold(true);
    expect((await agent.snapshot()).call?.held).toBe(true);
    expect(await stalled(agent.inboundPackets)).toBeLessThan(5);
    await agent.hold(false);
    expect((await agent.snapshot()).call?.held).toBe(false);
    await rising(agent.inboundPackets, 'agent after resume');
    await rising(debtor.inboundPackets, 'debtor after resume');

    const quality = (await agent.snapshot()).call?.quality;
    expect(quality?.mos).toBeGreaterThan(4);
    expect(quality?.level).toBe('good');

    await new Promise((r) => setTimeout(r, Math.max(0, 2_100 - (Date.now() - t0))));
    await agent.hangup();
    const wall = (Date.now() - t0) / 1000;
    await waitFor(
      async () => api.attempts.length,
      (n) => n === before + 1,
      3_000,
      'attempt logged',
    );
    const a = api.attempts.at(-1)!;
    expect(a).toMatchObject({
      id: res.ok ? res.callId : '',
      accountId: ACCOUNT.id,
      contactPointId: OK_CP.id,
      address: DEBTOR_NUMBER,
      direction: 'outbound',
      sipStatus: 200,
      hangupBy: 'agent',
    });
    expect(a.answeredAt).not.toBeNull();
    expect(Date.parse(a.answeredAt!)).toBeGreaterThanOrEqual(Date.parse(a.startedAt));
    expect(Date.parse(a.endedAt!)).toBeGreaterThan(Date.parse(a.answeredAt!));
    expect(Math.abs(a.durationSec! - wall)).toBeLessThanOrEqual(1);
    expect(a.durationSec).toBeGreaterThanOrEqual(2);
    const snap = await waitFor(agent.snapshot, (x) => x.lastEnded?.activityId === a.id, 3_000, 'lastEnded published');
    expect(snap.lastEnded).toMatchObject({ activityId: a.id, accountId: ACCOUNT.id, sipStatus: 200, suggestedDisposition: 'rpc' });
    await waitFor(
      async () => (await debtor.state()).byeReceived,
      (b) => b,
      3_000,
      'BYE at the debtor',
    );
  });

  it('switches microphone mid-call and speaker by device id', async () => {
    await debtor.setMode('answer');
    const res = await agent.call({ accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value });
    expect(res.ok).toBe(true);
    await waitFor(agent.snapshot, (s) => s.call?.phase === 'active', 5_000, 'active');
    const devices = await agent.devices();
    const inputs = devices.filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default' && d.deviceId !== 'communications');
    expect(inputs.length).toBeGreaterThanOrEqual(2);
    const current = await agent.senderTrackLabel();
    const other = inputs.find((d) => d.label !== current)!;
    await agent.setInputDevice(other.deviceId);
    expect(await agent.senderTrackLabel()).toBe(other.label);
    await rising(debtor.inboundPackets, 'debtor after the microphone switch');
    const output = devices.find((d) => d.kind === 'audiooutput' && d.deviceId !== 'default')!;
    expect(output).toBeDefined();
    await agent.setOutputDevice(output.deviceId);
    expect(await agent.sinkId()).toBe(output.deviceId);
    await agent.setInputDevice(null);
    await agent.hangup();
    await waitFor(
      agent.snapshot,
      (s) => s.call?.phase === 'ended' && s.lastEnded?.activityId === (res.ok ? res.callId : ''),
      3_000,
      'ended',
    );
  });

  it('a double click places one call, not two', async () => {
    await debtor.setMode('answer');
    const invites = kam.requests().filter((r) => r.method === 'INVITE').length;
    const req = { accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value };
    const [a, b] = await agent.page.evaluate((r) => {
      const w = window as unknown as { agent: { call(x: typeof r): Promise<{ ok: boolean; reason?: string }> } };
      return Promise.all([w.agent.call(r), w.agent.call(r)]);
    }, req);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((x) => !x.ok)?.reason).toBe('busy');
    await waitFor(agent.snapshot, (s) => s.call?.phase === 'active', 5_000, 'the one call active');
    expect(kam.requests().filter((r) => r.method === 'INVITE').length).toBe(invites + 1);
    await agent.hangup();
    await waitFor(agent.snapshot, (s) => s.call?.phase === 'ended' && s.lastEnded?.sipStatus === 200, 3_000, 'ended');
  });

  it('busy: 486 is logged with hangup by remote and suggests "busy"', async () => {
    await debtor.setMode('busy');
    const res = await agent.call({ accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value });
    expect(res.ok).toBe(true);
    const s = await waitFor(
      agent.snapshot,
      (x) => x.call?.phase === 'ended' && x.lastEnded?.activityId === (res.ok ? res.callId : ''),
      5_000,
      'busy ended',
    );
    expect(s.lastEnded).toMatchObject({ sipStatus: 486, suggestedDisposition: 'busy', hangupBy: 'remote', durationSec: null });
    expect(api.attempts.at(-1)).toMatchObject({ sipStatus: 486, hangupBy: 'remote', answeredAt: null, durationSec: null });
  });

  it('no answer: cancelled after the ring timeout, 487 logged, suggests "no_answer"', async () => {
    await debtor.setMode('never');
    const t0 = Date.now();
    const res = await agent.call({ accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value });
    expect(res.ok).toBe(true);
    await waitFor(agent.snapshot, (x) => x.call?.phase === 'ringing', 3_000, 'ringing');
    const s = await waitFor(
      agent.snapshot,
      (x) => x.call?.phase === 'ended' && x.lastEnded?.activityId === (res.ok ? res.callId : ''),
      8_000,
      'no-answer ended',
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2_900);
    expect(s.lastEnded).toMatchObject({ sipStatus: 487, suggestedDisposition: 'no_answer', hangupBy: 'system' });
    expect(api.attempts.at(-1)).toMatchObject({ sipStatus: 487, hangupBy: 'system', answeredAt: null });
    expect(kam.requests().some((r) => r.method === 'CANCEL')).toBe(true);
  });

  it('refuses DNC, invalid and disputed contacts before any INVITE reaches Kamailio', async () => {
    await debtor.setMode('answer');
    const invitesBefore = kam.requests().filter((r) => r.method === 'INVITE').length;
    const attemptsBefore = api.attempts.length;
    const dnc = ACCOUNT.contactPoints[1]!;
    const invalid = ACCOUNT.contactPoints[2]!;
    const r1 = await agent.call({ accountId: ACCOUNT.id, contactPointId: dnc.id, number: dnc.value });
    expect(r1).toMatchObject({ ok: false, reason: 'blocked' });
    expect(r1.ok === false && r1.reason === 'blocked' && r1.decision.reasons.map((x) => x.ruleId)).toContain('hard.contact_point.dnc');
    const r2 = await agent.call({ accountId: ACCOUNT.id, contactPointId: invalid.id, number: invalid.value });
    expect(r2.ok === false && r2.reason === 'blocked' && r2.decision.reasons.map((x) => x.ruleId)).toContain('hard.contact_point.invalid');
    const cp = DISPUTED.contactPoints[0]!;
    const r3 = await agent.call({ accountId: DISPUTED.id, contactPointId: cp.id, number: cp.value });
    expect(r3.ok === false && r3.reason === 'blocked' && r3.decision.reasons.map((x) => x.ruleId)).toContain('hard.status.dispute');
    // Outside Colombia's calling hours (06:30 in Bogotá): refused, with the next allowed instant.
    api.setClock(new Date('2026-11-24T11:30:00Z'));
    const r4 = await agent.call({ accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value });
    api.setClock(WORKING_HOURS);
    expect(r4.ok).toBe(false);
    const blocked = (await agent.snapshot()).blocked;
    expect(blocked?.allowed).toBe(false);
    expect(blocked?.nextAllowedAt).toBe('2026-11-24T12:00:00.000Z');
    await new Promise((r) => setTimeout(r, 300));
    expect(kam.requests().filter((r) => r.method === 'INVITE').length).toBe(invitesBefore);
    expect(api.attempts.length).toBe(attemptsBefore);
  });

  it('answers an incoming call from a known debtor and logs it as inbound', async () => {
    await agent.page.evaluate(() => undefined);
    await debtor.call('1001', DOMAIN);
    const s = await waitFor(agent.snapshot, (x) => x.call?.phase === 'incoming' && x.call.caller !== null, 5_000, 'incoming matched');
    expect(s.call?.caller).toEqual({ accountId: ACCOUNT.id, debtorName: ACCOUNT.debtorName });
    await agent.answer();
    await waitFor(agent.snapshot, (x) => x.call?.phase === 'active', 5_000, 'incoming active');
    await rising(agent.inboundPackets, 'agent (inbound call)');
    await debtor.hangup();
    const callId = (await agent.snapshot()).call?.id;
    const ended = await waitFor(
      agent.snapshot,
      (x) => x.call?.phase === 'ended' && x.lastEnded?.activityId === callId,
      5_000,
      'incoming ended',
    );
    expect(ended.lastEnded).toMatchObject({ accountId: ACCOUNT.id, sipStatus: 200, hangupBy: 'remote', suggestedDisposition: 'rpc' });
    expect(api.attempts.at(-1)).toMatchObject({ direction: 'inbound', address: DEBTOR_NUMBER, hangupBy: 'remote', sipStatus: 200 });
  });

  it('an incoming call the caller gives up on is logged as 487, hung up by the remote side', async () => {
    await debtor.call('1001', DOMAIN);
    await waitFor(agent.snapshot, (x) => x.call?.phase === 'incoming' && x.call.caller !== null, 5_000, 'ringing');
    const callId = (await agent.snapshot()).call?.id;
    await debtor.hangup();
    const s = await waitFor(agent.snapshot, (x) => x.lastEnded?.activityId === callId, 5_000, 'missed call logged');
    expect(s.lastEnded).toMatchObject({ sipStatus: 487, hangupBy: 'remote', durationSec: null });
    expect(api.attempts.at(-1)).toMatchObject({ id: callId, direction: 'inbound', sipStatus: 487, hangupBy: 'remote', answeredAt: null });
  });

  it('blind-transfers the debtor to the supervisor (REFER)', async () => {
    await debtor.setMode('answer');
    const res = await agent.call({ accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value });
    expect(res.ok).toBe(true);
    await waitFor(agent.snapshot, (s) => s.call?.phase === 'active', 5_000, 'call active');
    await agent.transfer();
    await waitFor(
      async () => (await supervisor.state()).state,
      (st) => st === 'Established',
      5_000,
      'supervisor connected',
    );
    expect((await debtor.state()).referredTo[0]).toContain(`sip:${SUPERVISOR}@`);
    await waitFor(
      agent.snapshot,
      (s) => s.call?.phase === 'ended' && s.lastEnded?.activityId === (res.ok ? res.callId : ''),
      3_000,
      'agent leg ended',
    );
    expect(api.attempts.at(-1)).toMatchObject({ hangupBy: 'agent', sipStatus: 200 });
    await supervisor.hangup();
  });

  it('re-registers by itself after Kamailio restarts, and the next call works', async () => {
    const regsBefore = kam.requests().filter((r) => r.method === 'REGISTER').length;
    await kam.restart();
    await waitFor(agent.snapshot, (s) => s.registration !== 'registered', 5_000, 'agent noticed the drop');
    await waitFor(agent.snapshot, (s) => s.registration === 'registered', 10_000, 'agent re-registered');
    expect(kam.requests().filter((r) => r.method === 'REGISTER').length).toBeGreaterThan(regsBefore);
    // The bare debtor phone has no reconnect logic: give it a fresh page.
    await debtor.page.reload();
    await debtor.page.waitForFunction(() => 'debtorPhone' in window);
    await debtor.start({ wsUrl: kam.wsUrl, user: DEBTOR_NUMBER, domain: DOMAIN });
    const res = await agent.call({ accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value });
    expect(res.ok).toBe(true);
    await waitFor(agent.snapshot, (s) => s.call?.phase === 'active', 5_000, 'call after restart active');
    await rising(agent.inboundPackets, 'agent after restart');
    await agent.hangup();
    await waitFor(agent.snapshot, (s) => s.call?.phase === 'ended', 3_000, 'ended');
  });

  it('keeps a call through a short WebSocket drop: reconnect, re-register, re-INVITE, audio back', async () => {
    const relay = await startCuttableRelay(kam.wsPort);
    try {
      const page = await openPage(browser, `${api.url}/agent.html`, 'agent');
      api.setCredentials(creds(`ws://127.0.0.1:${relay.port}`, '1002'));
      const agent2 = agentDriver(page);
      await agent2.start({ reconnectInitialMs: 200, reconnectMaxMs: 1_000, callRecoveryMs: 8_000 });
      await waitFor(agent2.snapshot, (s) => s.registration === 'registered', 5_000, 'agent2 registered');
      const res = await agent2.call({ accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value });
      expect(res.ok).toBe(true);
      await waitFor(agent2.snapshot, (s) => s.call?.phase === 'active', 5_000, 'active');
      const invites = kam.requests().filter((r) => r.method === 'INVITE').length;
      relay.cut();
      await waitFor(agent2.snapshot, (s) => s.call?.recovering === true || s.registration === 'reconnecting', 3_000, 'drop noticed');
      await waitFor(agent2.snapshot, (s) => s.registration === 'registered' && s.call?.recovering === false, 8_000, 're-anchored');
      expect(kam.requests().filter((r) => r.method === 'INVITE').length).toBeGreaterThan(invites);
      expect((await agent2.snapshot()).call?.phase).toBe('active');
      await rising(agent2.inboundPackets, 'agent2 after re-INVITE');
      await rising(debtor.inboundPackets, 'debtor after re-INVITE');
      // The BYE must reach the debtor along the new connection.
      await agent2.hangup();
      await waitFor(
        async () => (await debtor.state()).byeReceived,
        (b) => b,
        3_000,
        'BYE after reconnect',
      );
      await waitFor(
        async () => api.attempts.at(-1)?.id,
        (id) => id === (res.ok ? res.callId : ''),
        3_000,
        'attempt logged',
      );
      expect(api.attempts.at(-1)).toMatchObject({ hangupBy: 'agent', sipStatus: 200 });
      await agent2.page.evaluate(() => (window as unknown as { agent: { stop(): Promise<void> } }).agent.stop());
    } finally {
      api.setCredentials(creds(kam.wsUrl));
      await relay.close();
    }
  });

  it('ends and logs a call whose transport does not come back, instead of hanging', async () => {
    const relay = await startCuttableRelay(kam.wsPort);
    const page = await openPage(browser, `${api.url}/agent.html`, 'agent');
    api.setCredentials(creds(`ws://127.0.0.1:${relay.port}`, '1003'));
    const agent3 = agentDriver(page);
    try {
      await agent3.start({ reconnectInitialMs: 200, reconnectMaxMs: 500, callRecoveryMs: 1_500 });
      await waitFor(agent3.snapshot, (s) => s.registration === 'registered', 5_000, 'agent3 registered');
      const res = await agent3.call({ accountId: ACCOUNT.id, contactPointId: OK_CP.id, number: OK_CP.value });
      expect(res.ok).toBe(true);
      await waitFor(agent3.snapshot, (s) => s.call?.phase === 'active', 5_000, 'active');
      await relay.close(); // the network stays down
      const s = await waitFor(
        agent3.snapshot,
        (x) => x.call?.phase === 'ended' && x.lastEnded?.activityId === (res.ok ? res.callId : ''),
        6_000,
        'ended by the system',
      );
      expect(s.lastEnded).toMatchObject({ hangupBy: 'system', sipStatus: 200, suggestedDisposition: 'rpc' });
      expect(api.attempts.at(-1)).toMatchObject({ id: res.ok ? res.callId : '', hangupBy: 'system' });
      expect(api.attempts.at(-1)?.endedAt).not.toBeNull();
    } finally {
      api.setCredentials(creds(kam.wsUrl));
      await agent3.page.close();
    }
  });
});
