import { ROUTES } from '../../shared/api/routes';
import { HEARTBEAT_MS, type PauseReason, type PresenceReport, type ReportedState } from '../../shared/live/presence';
import { callRoute } from '../services/route-client';
import { systemClock, type Clock } from './engine';
import type { ServerClient } from './transport';

export type CallEvent = { phase: 'dialing' | 'ringing' | 'active'; accountId: string | null } | { phase: 'ended' };

export interface MyPresence {
  state: ReportedState;
  pauseReason: PauseReason | null;
}

/**
 * The workstation's side of the live board: what the agent is doing, said to the server at once
 * when it changes and every HEARTBEAT_MS otherwise (the server calls a silent workstation offline).
 * The state comes from the softphone (a call begins, is answered, ends → wrap-up until the outcome
 * is logged) and from the agent's pause control in the top bar. A report that fails is not queued:
 * presence is "now", and the next heartbeat says it again.
 */
export class PresenceReporter {
  private pauseReason: PauseReason | null = null;
  private call: { accountId: string | null; phase: 'dialing' | 'ringing' | 'active'; startedAt: string } | null = null;
  private wrapUp = false;
  private timer: unknown = null;
  private running = false;
  private sending: Promise<void> = Promise.resolve();
  /** A report is waiting for the one in flight: a newer change rides on it. */
  private queued = false;

  constructor(
    private readonly server: ServerClient,
    private readonly clock: Clock = systemClock,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.beat();
  }

  /** Stops the heartbeats; with `signOut`, tells the server the agent left (offline at once). */
  async stop(signOut = false): Promise<void> {
    const was = this.running;
    this.running = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.sending;
    if (was && signOut) await this.send({ state: 'available', signedOut: true });
  }

  current(): MyPresence {
    const r = this.report();
    return { state: r.state, pauseReason: r.pauseReason ?? null };
  }

  /** The agent's pause control: a reason pauses, null makes them available (and ends a wrap-up). */
  setPause(reason: PauseReason | null): MyPresence {
    this.pauseReason = reason;
    this.wrapUp = false;
    this.changed();
    return this.current();
  }

  callEvent(e: CallEvent): void {
    if (e.phase === 'ended') {
      if (this.call === null) return;
      this.call = null;
      this.wrapUp = true;
    } else {
      const startedAt = this.call?.startedAt ?? this.clock.now().toISOString();
      this.call = { accountId: e.accountId ?? this.call?.accountId ?? null, phase: e.phase, startedAt };
      this.wrapUp = false;
    }
    this.changed();
  }

  /** An outcome was logged: the wrap-up is over. */
  outcomeLogged(): void {
    if (!this.wrapUp) return;
    this.wrapUp = false;
    this.changed();
  }

  private report(): PresenceReport {
    if (this.call) return { state: 'on_call', call: this.call };
    if (this.wrapUp) return { state: 'wrap_up' };
    if (this.pauseReason) return { state: 'paused', pauseReason: this.pauseReason };
    return { state: 'available' };
  }

  private changed(): void {
    if (this.running) this.beat();
  }

  /** Sends now and schedules the next heartbeat one interval later. */
  private beat(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.beat(), HEARTBEAT_MS);
    // one report at a time, in order, each saying the state when it leaves: an older state never
    // arrives after a newer one, and changes quicker than the server answers collapse into one
    if (this.queued) return;
    this.queued = true;
    this.sending = this.sending.then(() => {
      this.queued = false;
      return this.send(this.report());
    });
  }

  private async send(body: PresenceReport): Promise<void> {
    try {
      await callRoute(this.server, ROUTES.livePresence, { body });
    } catch {
      // offline or refused: the next heartbeat tries again
    }
  }
}
