import { z } from 'zod';
import { Id, IsoInstant } from '../domain/entities';

/**
 * The live board's vocabulary, shared by the workstation (which reports its agent's state), the
 * server (which stores it and fans it out) and the lead's screen (which shows it). The rules that
 * decide "offline" and "idle" are here, once: the server's alerts and the screen use the same ones.
 */
export const PAUSE_REASONS = ['break', 'lunch', 'training', 'meeting', 'other'] as const;
export const PauseReason = z.enum(PAUSE_REASONS);
export type PauseReason = z.infer<typeof PauseReason>;

/** What a workstation reports. `offline` is never reported: it is the absence of heartbeats. */
export const ReportedState = z.enum(['available', 'on_call', 'wrap_up', 'paused']);
export type ReportedState = z.infer<typeof ReportedState>;
export const LiveState = z.enum(['offline', 'available', 'on_call', 'wrap_up', 'paused']);
export type LiveState = z.infer<typeof LiveState>;

export const CallPhaseReport = z.enum(['dialing', 'ringing', 'active']);

/** A workstation's heartbeat (every HEARTBEAT_MS) and its report of a change (at once). */
export const PresenceReport = z
  .object({
    state: ReportedState,
    pauseReason: PauseReason.nullable().default(null),
    call: z
      .object({
        accountId: Id.nullable(),
        phase: CallPhaseReport,
        /** When the call began on the workstation (the board counts its duration from here). */
        startedAt: IsoInstant,
      })
      .strict()
      .nullable()
      .default(null),
    /** The agent signed out: offline at once, not after OFFLINE_AFTER_MS. */
    signedOut: z.boolean().default(false),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.state === 'paused' && r.pauseReason === null)
      ctx.addIssue({ code: 'custom', path: ['pauseReason'], message: 'a pause needs its reason' });
    if (r.state !== 'paused' && r.pauseReason !== null)
      ctx.addIssue({ code: 'custom', path: ['pauseReason'], message: 'only a pause has a reason' });
    if (r.state === 'on_call' && r.call === null) ctx.addIssue({ code: 'custom', path: ['call'], message: 'on a call needs the call' });
    if (r.state !== 'on_call' && r.call !== null) ctx.addIssue({ code: 'custom', path: ['call'], message: 'only on_call carries a call' });
  });
export type PresenceReport = z.input<typeof PresenceReport>;

/** How often a signed-in workstation says it is there. */
export const HEARTBEAT_MS = 10_000;
/** No heartbeat for this long: offline (three missed beats, so one slow request does not flicker it). */
export const OFFLINE_AFTER_MS = 3 * HEARTBEAT_MS + 5_000;

/** One agent on the board, as the server sends it (snapshot and stream). */
export const BoardAgent = z.object({
  userId: Id,
  username: z.string(),
  displayName: z.string(),
  teamName: z.string().nullable(),
  /** As last reported; `effectiveState` turns it into offline when the heartbeats stopped. */
  state: LiveState,
  pauseReason: PauseReason.nullable(),
  call: z
    .object({
      accountId: Id.nullable(),
      accountRef: z.string().nullable(),
      debtorName: z.string().nullable(),
      phase: CallPhaseReport,
      startedAt: IsoInstant,
    })
    .nullable(),
  stateSince: IsoInstant.nullable(),
  lastHeartbeatAt: IsoInstant.nullable(),
});
export type BoardAgent = z.infer<typeof BoardAgent>;

export function effectiveState(a: Pick<BoardAgent, 'state' | 'lastHeartbeatAt'>, now: Date): LiveState {
  if (a.state === 'offline' || a.lastHeartbeatAt === null) return 'offline';
  return now.getTime() - Date.parse(a.lastHeartbeatAt) > OFFLINE_AFTER_MS ? 'offline' : a.state;
}

/** Thresholds of the lead's alerts, per organisation (docs/live-board.md, "Alerts"). */
export const LiveSettings = z
  .object({
    /** Available (online, not on a call, not paused) for this long: idle. */
    idleMinutes: z.number().int().min(1).max(240),
    /** This many compliance blocks by one agent within the window: a spike. */
    blockSpikeCount: z.number().int().min(1).max(1000),
    blockWindowMinutes: z.number().int().min(5).max(1440),
    /** A collector whose workstation has not synced for this many days. */
    unsyncedDays: z.number().int().min(1).max(60),
  })
  .strict();
export type LiveSettings = z.infer<typeof LiveSettings>;
export const DEFAULT_LIVE_SETTINGS: LiveSettings = { idleMinutes: 10, blockSpikeCount: 5, blockWindowMinutes: 60, unsyncedDays: 2 };

export function isIdle(a: Pick<BoardAgent, 'state' | 'lastHeartbeatAt' | 'stateSince'>, now: Date, s: LiveSettings): boolean {
  if (effectiveState(a, now) !== 'available' || a.stateSince === null) return false;
  return now.getTime() - Date.parse(a.stateSince) >= s.idleMinutes * 60_000;
}

export const LiveAlert = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle'), userId: Id, since: IsoInstant }),
  z.object({ kind: z.literal('block_spike'), userId: Id, count: z.number().int(), windowMinutes: z.number().int() }),
  z.object({ kind: z.literal('promises_unreminded'), userId: Id, count: z.number().int(), accountIds: z.array(Id) }),
  z.object({ kind: z.literal('store_unsynced'), userId: Id, lastSyncAt: IsoInstant.nullable(), days: z.number().int() }),
]);
export type LiveAlert = z.infer<typeof LiveAlert>;

export const LiveBoard = z.object({
  agents: z.array(BoardAgent),
  alerts: z.array(LiveAlert),
  settings: LiveSettings,
  /** The server's clock when the board was read: the screen counts call durations against it. */
  serverNow: IsoInstant,
});
export type LiveBoard = z.infer<typeof LiveBoard>;

/** What the stream sends: a full board first (and every ALERTS_EVERY_MS with fresh alerts), then agents as they change. */
export type LiveStreamEvent = { type: 'board'; board: LiveBoard } | { type: 'agent'; agent: BoardAgent; sentAt: number };
export const ALERTS_EVERY_MS = 30_000;

export const TIMELINE_KINDS = ['call', 'message', 'visit', 'outcome', 'promise', 'note', 'pause'] as const;
export const TimelineKind = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const TimelineItem = z.object({
  kind: TimelineKind,
  at: IsoInstant,
  endedAt: IsoInstant.nullable(),
  /** null when the account is no longer visible to the reader (reassigned out of the team). */
  accountId: Id.nullable(),
  accountRef: z.string().nullable(),
  debtorName: z.string().nullable(),
  channel: z.string().nullable(),
  disposition: z.string().nullable(),
  sipStatus: z.number().int().nullable(),
  durationSec: z.number().int().nullable(),
  amountMinor: z.number().int().nullable(),
  currency: z.string().nullable(),
  text: z.string().nullable(),
  pauseReason: PauseReason.nullable(),
});
export type TimelineItem = z.infer<typeof TimelineItem>;

export const TimelineQuery = z.object({
  /** A day of the organisation's calendar; default today there. */
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  /** Comma-separated kinds; default all. */
  kinds: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return [...TIMELINE_KINDS];
      const parts = s.split(',').map((k) => k.trim());
      for (const k of parts)
        if (!(TIMELINE_KINDS as readonly string[]).includes(k)) {
          ctx.addIssue({ code: 'custom', message: `unknown kind "${k}"` });
          return z.NEVER;
        }
      return parts as TimelineKind[];
    }),
});
export const Timeline = z.object({
  agent: z.object({ userId: Id, displayName: z.string() }),
  day: z.string(),
  timeZone: z.string(),
  items: z.array(TimelineItem),
});
export type Timeline = z.infer<typeof Timeline>;
