import { create } from 'zustand';
import { getApi } from '../api';
import type { Disposition } from '../../shared/domain/enums';
import { SoftphoneEngine, type CallRequest, type CallResult, type SoftphoneSnapshot } from './engine';
import { callEventOf } from './presence-events';

/**
 * The softphone as React sees it. `lastEnded` is the contract with the account screen's outcome
 * form: subscribe to it and open the form prefilled with `suggestedDisposition`, closing the
 * logged call by passing `activityId` as OutcomeInput.callActivityId (see docs/softphone.md).
 */
export interface LastEndedCall {
  activityId: string | null;
  accountId: string | null;
  sipStatus: number | null;
  suggestedDisposition: Disposition | null;
  /** Increments on every ended call, so two identical endings still notify. */
  seq: number;
}

export interface SoftphoneStore extends Omit<SoftphoneSnapshot, 'lastEnded'> {
  lastEnded: LastEndedCall | null;
  /** The full record of the last ended call (hang-up side, duration, logging error). */
  lastEndedDetail: SoftphoneSnapshot['lastEnded'];
  /** The contact point the last blocked call() was for. */
  blockedContactPointId: string | null;
  lastResult: CallResult | null;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Logout: hang up, unregister, forget the credentials. */
  stop(): Promise<void>;
  /** Click-to-call: compliance check, then INVITE (named dial: `call` is the current call). */
  dial(req: CallRequest): Promise<CallResult>;
  hangup(): Promise<void>;
  answer(): Promise<void>;
  reject(): Promise<void>;
  hold(on: boolean): Promise<void>;
  mute(on: boolean): void;
  dtmf(digits: string): Promise<void>;
  transfer(target?: string): Promise<void>;
  dismiss(): void;
  /** Reconnects to the PBX at once instead of waiting for the next attempt. */
  retryNow(): void;
  /** The outcome form calls this once it has taken the ended call. */
  consumeLastEnded(): void;
  engine(): SoftphoneEngine;
}

let engine: SoftphoneEngine | null = null;
let seq = 0;

export const useSoftphone = create<SoftphoneStore>((set, get) => {
  const getEngine = (): SoftphoneEngine => {
    if (!engine) {
      engine = new SoftphoneEngine(getApi());
      let previous = engine.getSnapshot().lastEnded;
      let previousCall = engine.getSnapshot().call;
      engine.subscribe((s) => {
        // start, answer and end of a call go to the main side for the team lead's live board
        const ev = callEventOf(previousCall, s.call);
        previousCall = s.call;
        if (ev)
          void getApi()
            .reportCall(ev)
            .catch(() => {});
        const patch: Partial<SoftphoneStore> = {
          registration: s.registration,
          error: s.error,
          call: s.call,
          blocked: s.blocked,
          extension: s.extension,
          server: s.server,
          nextRetryAt: s.nextRetryAt,
        };
        if (s.lastEnded && s.lastEnded !== previous) {
          seq += 1;
          patch.lastEnded = {
            activityId: s.lastEnded.activityId,
            accountId: s.lastEnded.accountId,
            sipStatus: s.lastEnded.sipStatus,
            suggestedDisposition: s.lastEnded.suggestedDisposition,
            seq,
          };
          patch.lastEndedDetail = s.lastEnded;
        }
        previous = s.lastEnded;
        set(patch);
      });
    }
    return engine;
  };
  const guard = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) });
    }
  };
  return {
    registration: 'unconfigured',
    error: null,
    call: null,
    blocked: null,
    extension: null,
    server: null,
    nextRetryAt: null,
    lastEnded: null,
    lastEndedDetail: null,
    blockedContactPointId: null,
    lastResult: null,
    start: async () => {
      const e = getEngine();
      if (e.getSnapshot().registration === 'unconfigured') await guard(() => e.start());
    },
    restart: () => guard(() => getEngine().start()),
    stop: () => guard(() => getEngine().stop()),
    dial: async (req) => {
      const result = await getEngine()
        .call(req)
        .catch((e: unknown): CallResult => ({ ok: false, reason: 'failed', message: e instanceof Error ? e.message : String(e) }));
      set({ lastResult: result, blockedContactPointId: !result.ok && result.reason === 'blocked' ? req.contactPointId : null });
      return result;
    },
    hangup: () => guard(() => getEngine().hangup()),
    answer: () => guard(() => getEngine().answer()),
    reject: () => guard(() => getEngine().reject()),
    hold: (on) => guard(() => getEngine().hold(on)),
    mute: (on) => getEngine().mute(on),
    dtmf: (digits) => guard(() => getEngine().sendDtmf(digits)),
    transfer: (target) => guard(() => getEngine().transfer(target)),
    dismiss: () => {
      getEngine().dismissEnded();
      set({ lastResult: null });
    },
    retryNow: () => getEngine().retryNow(),
    consumeLastEnded: () => {
      if (get().lastEnded) set({ lastEnded: null });
    },
    engine: getEngine,
  };
});
