import { describe, expect, it } from 'vitest';
import { PresenceReporter } from '../../../src/main/sync/presence';
import type { Clock } from '../../../src/main/sync/engine';
import type { ServerClient } from '../../../src/main/sync/transport';
import { callEventOf } from '../../../src/renderer/softphone/presence-events';
import type { CallInfo } from '../../../src/renderer/softphone/engine-types';
import {
  DEFAULT_LIVE_SETTINGS,
  effectiveState,
  HEARTBEAT_MS,
  isIdle,
  OFFLINE_AFTER_MS,
  PresenceReport,
  TimelineQuery,
} from '../../../src/shared/live/presence';
import { SseParser } from '../../../src/shared/live/sse';

const ACCOUNT = '6f1c3e2a-9d7b-4c1e-8a2b-3c4d5e6f7a8b';

function fakeClock(start = Date.parse('2026-12-03T15:00:00Z')) {
  let now = start;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  const clock: Clock = {
    now: () => new Date(now),
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { clock, advance };
}

function fakeServer() {
  const bodies: unknown[] = [];
  const server = {
    call: async (_m: string, path: string, body: unknown) => {
      expect(path).toBe('/api/v1/live/presence');
      bodies.push(body);
      return {};
    },
  } as unknown as ServerClient;
  return { server, bodies };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the workstation reports its agent’s state', () => {
  it('heartbeats every interval; a call, its end (wrap-up) and the outcome are reported at once; sign-out last', async () => {
    const { clock, advance } = fakeClock();
    const { server, bodies } = fakeServer();
    const p = new PresenceReporter(server, clock);
    p.start();
    await settle();
    expect(bodies).toEqual([{ state: 'available' }]);
    advance(HEARTBEAT_MS);
    await settle();
    expect(bodies).toHaveLength(2);

    p.callEvent({ phase: 'dialing', accountId: ACCOUNT });
    await settle();
    advance(1500);
    p.callEvent({ phase: 'active', accountId: ACCOUNT });
    await settle();
    const onCall = bodies.slice(2) as Array<{ state: string; call: { phase: string; startedAt: string; accountId: string } }>;
    expect(onCall.map((b) => [b.state, b.call.phase])).toEqual([
      ['on_call', 'dialing'],
      ['on_call', 'active'],
    ]);
    // the call's start is kept when it is answered: the board counts from the dial
    expect(onCall[1]!.call.startedAt).toBe(onCall[0]!.call.startedAt);
    p.callEvent({ phase: 'ended' });
    await settle();
    expect(bodies.at(-1)).toEqual({ state: 'wrap_up' });
    expect(p.current()).toEqual({ state: 'wrap_up', pauseReason: null });
    p.outcomeLogged();
    await settle();
    expect(bodies.at(-1)).toEqual({ state: 'available' });

    expect(p.setPause('lunch')).toEqual({ state: 'paused', pauseReason: 'lunch' });
    await settle();
    expect(bodies.at(-1)).toEqual({ state: 'paused', pauseReason: 'lunch' });
    // changes faster than the server answers are coalesced: the report sent is the state when it leaves
    const before = bodies.length;
    p.setPause('break');
    p.setPause('training');
    await settle();
    expect(bodies.slice(before)).toEqual([{ state: 'paused', pauseReason: 'training' }]);
    // a change resets the heartbeat: none is due before a full interval after it
    const n = bodies.length;
    advance(HEARTBEAT_MS - 1);
    await settle();
    expect(bodies).toHaveLength(n);
    advance(1);
    await settle();
    expect(bodies).toHaveLength(n + 1);

    await p.stop(true);
    expect(bodies.at(-1)).toEqual({ state: 'available', signedOut: true });
    advance(HEARTBEAT_MS * 3);
    await settle();
    expect(bodies).toHaveLength(n + 2);
    // every body is one the server accepts
    for (const b of bodies) expect(PresenceReport.safeParse(b).success, JSON.stringify(b)).toBe(true);
  });

  it('a failed report is not queued: the next heartbeat says it again', async () => {
    const { clock, advance } = fakeClock();
    let fail = true;
    const seen: unknown[] = [];
    const server = {
      call: async (_m: string, _p: string, body: unknown) => {
        if (fail) throw new Error('offline');
        seen.push(body);
        return {};
      },
    } as unknown as ServerClient;
    const p = new PresenceReporter(server, clock);
    p.start();
    p.setPause('break');
    await settle();
    expect(seen).toEqual([]);
    fail = false;
    advance(HEARTBEAT_MS);
    await settle();
    expect(seen).toEqual([{ state: 'paused', pauseReason: 'break' }]);
    await p.stop();
  });
});

describe('the softphone’s call changes as board events', () => {
  const call = (phase: CallInfo['phase'], accountId: string | null = ACCOUNT) => ({ phase, accountId }) as CallInfo;
  it('start, ring, answer, end; nothing for other changes', () => {
    expect(callEventOf(null, call('dialing'))).toEqual({ phase: 'dialing', accountId: ACCOUNT });
    expect(callEventOf(call('dialing'), call('ringing'))).toEqual({ phase: 'ringing', accountId: ACCOUNT });
    expect(callEventOf(null, call('incoming', null))).toEqual({ phase: 'ringing', accountId: null });
    expect(callEventOf(call('ringing'), call('active'))).toEqual({ phase: 'active', accountId: ACCOUNT });
    expect(callEventOf(call('active'), call('active'))).toBeNull();
    expect(callEventOf(call('active'), call('ended'))).toEqual({ phase: 'ended' });
    expect(callEventOf(call('ended'), null)).toBeNull();
    expect(callEventOf(null, null)).toBeNull();
    // an incoming call matched to an account once answered
    expect(callEventOf(call('active', null), call('active'))).toEqual({ phase: 'active', accountId: ACCOUNT });
  });
});

describe('shared rules of the board', () => {
  const now = new Date('2026-12-03T15:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  it('offline after the heartbeats stop; idle after the threshold while available', () => {
    expect(effectiveState({ state: 'available', lastHeartbeatAt: ago(OFFLINE_AFTER_MS - 1) }, now)).toBe('available');
    expect(effectiveState({ state: 'on_call', lastHeartbeatAt: ago(OFFLINE_AFTER_MS + 1) }, now)).toBe('offline');
    expect(effectiveState({ state: 'paused', lastHeartbeatAt: null }, now)).toBe('offline');
    const s = DEFAULT_LIVE_SETTINGS;
    expect(isIdle({ state: 'available', lastHeartbeatAt: ago(1000), stateSince: ago(s.idleMinutes * 60_000) }, now, s)).toBe(true);
    expect(isIdle({ state: 'available', lastHeartbeatAt: ago(1000), stateSince: ago(s.idleMinutes * 60_000 - 1) }, now, s)).toBe(false);
    expect(isIdle({ state: 'paused', lastHeartbeatAt: ago(1000), stateSince: ago(3_600_000) }, now, s)).toBe(false);
    expect(isIdle({ state: 'available', lastHeartbeatAt: ago(OFFLINE_AFTER_MS + 1), stateSince: ago(3_600_000) }, now, s)).toBe(false);
  });
  it('a report is consistent: a pause has its reason from the list, a call only on a call', () => {
    expect(PresenceReport.safeParse({ state: 'paused', pauseReason: 'meeting' }).success).toBe(true);
    expect(PresenceReport.safeParse({ state: 'paused' }).success).toBe(false);
    expect(PresenceReport.safeParse({ state: 'paused', pauseReason: 'siesta' }).success).toBe(false);
    expect(PresenceReport.safeParse({ state: 'available', pauseReason: 'lunch' }).success).toBe(false);
    expect(PresenceReport.safeParse({ state: 'on_call' }).success).toBe(false);
    expect(PresenceReport.safeParse({ state: 'wrap_up', extra: 1 }).success).toBe(false);
  });
  it('timeline kinds: default all, a list, an unknown one refused', () => {
    expect(TimelineQuery.parse({}).kinds).toHaveLength(7);
    expect(TimelineQuery.parse({ kinds: 'call,pause' }).kinds).toEqual(['call', 'pause']);
    expect(TimelineQuery.safeParse({ kinds: 'call,nap' }).success).toBe(false);
    expect(TimelineQuery.safeParse({ day: '03/12/2026' }).success).toBe(false);
  });
});

describe('server-sent events reader', () => {
  it('splits events across chunks, joins data lines, skips comments', () => {
    const p = new SseParser();
    expect(p.push(': keepalive\n\nevent: board\ndata: {"a"')).toEqual([]);
    expect(p.push(':1}\n\nevent: agent\ndata: x\ndata: y\n\n')).toEqual([
      { event: 'board', data: '{"a":1}' },
      { event: 'agent', data: 'x\ny' },
    ]);
    expect(p.push(new TextEncoder().encode('data: é\r\n\r\n'))).toEqual([{ event: 'message', data: 'é' }]);
  });
});
