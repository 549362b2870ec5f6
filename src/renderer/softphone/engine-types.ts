import type { ComplianceDecision, WorkstationApi } from '../../shared/api/contract';
import type { Disposition } from '../../shared/domain/enums';
import type { CallQuality } from './quality';

/** What the softphone engine shows and takes: snapshots for the UI, requests and options. */

export type SoftphoneApi = Pick<WorkstationApi, 'getSipCredentials' | 'logCallAttempt' | 'checkContact' | 'findAccountByPhone'>;

export type RegistrationState = 'unconfigured' | 'connecting' | 'registered' | 'unregistered' | 'reconnecting' | 'failed';

export type CallPhase = 'dialing' | 'ringing' | 'incoming' | 'active' | 'ended';
export type HangupBy = 'agent' | 'remote' | 'system';

export interface CallTimings {
  /** performance.now() when call() was invoked (the click). */
  clickAt: number;
  /** When the compliance decision came back. */
  checkedAt: number | null;
  inviteSentAt: number | null;
  answeredAt: number | null;
  firstAudioAt: number | null;
}

export interface CallInfo {
  /** Also the id of the activity logged for it. */
  id: string;
  direction: 'outbound' | 'inbound';
  accountId: string | null;
  contactPointId: string | null;
  /** The number as stored (E.164) or as presented by the caller. */
  address: string;
  dial: string;
  phase: CallPhase;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  held: boolean;
  muted: boolean;
  /** The transport dropped mid-call; the call is being re-established. */
  recovering: boolean;
  sipStatus: number | null;
  hangupBy: HangupBy | null;
  quality: CallQuality | null;
  caller: { accountId: string; debtorName: string } | null;
  dtmfSent: string;
  timings: CallTimings;
}

export interface EndedCall {
  activityId: string | null;
  accountId: string | null;
  sipStatus: number | null;
  suggestedDisposition: Disposition | null;
  hangupBy: HangupBy | null;
  durationSec: number | null;
  /** Set if the attempt could not be written to the local store. */
  logError: string | null;
}

export interface SoftphoneSnapshot {
  registration: RegistrationState;
  /** Why registration or the last action failed, for the agent. */
  error: string | null;
  call: CallInfo | null;
  lastEnded: EndedCall | null;
  /** Set when the last call() was refused by the compliance check: no INVITE was sent. */
  blocked: ComplianceDecision | null;
  extension: string | null;
  /** The PBX's WebSocket URL being used, to name it when it does not answer. */
  server: string | null;
  /** While reconnecting: when the next attempt is due (epoch ms), null while one is under way. */
  nextRetryAt: number | null;
}

export type CallRequest = { accountId: string; contactPointId: string | null; number: string };
export type CallResult =
  | { ok: true; callId: string }
  | { ok: false; reason: 'blocked'; decision: ComplianceDecision }
  | { ok: false; reason: 'busy' | 'not_registered' | 'invalid_number' | 'failed'; message: string };

export interface SoftphoneOptions {
  /** Outbound calls unanswered after this are cancelled (→ 487, suggested 'no_answer'). */
  ringTimeoutMs?: number;
  /** 'auto': RFC 4733 via RTCDTMFSender when negotiated, else SIP INFO. 'info': always SIP INFO. */
  dtmfMode?: 'auto' | 'info';
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** A call whose transport is not back within this is ended (and logged) rather than left hanging. */
  callRecoveryMs?: number;
  qualityIntervalMs?: number;
  iceGatheringTimeoutMs?: number;
  registerExpiresSec?: number;
  /** Where remote audio plays; created if absent (the tests pass none). */
  audioElement?: HTMLAudioElement;
}
