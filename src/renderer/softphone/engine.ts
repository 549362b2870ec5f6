import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  Web,
  type Session,
  type InviterInviteOptions,
} from 'sip.js';
import type { ComplianceDecision, SipCredentials } from '../../shared/api/contract';
import { callerToE164, toDialString } from '../../shared/telephony/dialplan';
import { suggestDisposition } from '../../shared/telephony/disposition';
import { readInboundAudio, toQuality, type InboundAudioCounters } from './quality';
import type { CallInfo, CallRequest, CallResult, SoftphoneApi, SoftphoneOptions, SoftphoneSnapshot } from './engine-types';
import { LocalMedia } from './local-media';

export type * from './engine-types';

/**
 * The softphone without any UI: one sip.js user agent, its registration, and at most one call.
 * The zustand store and the components only read snapshots and call these methods, so the same
 * class runs in the app and, bundled on its own, in the Kamailio end-to-end tests and the bench.
 */

const DEFAULTS = {
  ringTimeoutMs: 30_000,
  dtmfMode: 'auto',
  reconnectInitialMs: 500,
  // a PBX that is down for good (none installed) is retried about once a minute, not 8 times
  reconnectMaxMs: 60_000,
  callRecoveryMs: 15_000,
  qualityIntervalMs: 2_000,
  iceGatheringTimeoutMs: 500,
  registerExpiresSec: 300,
} as const;

type Listener = (s: SoftphoneSnapshot) => void;

export class SoftphoneEngine {
  private opts: Required<Omit<SoftphoneOptions, 'audioElement'>>;
  private snapshot: SoftphoneSnapshot = {
    registration: 'unconfigured',
    error: null,
    call: null,
    lastEnded: null,
    blocked: null,
    extension: null,
    server: null,
    nextRetryAt: null,
  };
  private readonly listeners = new Set<Listener>();
  private creds: SipCredentials | null = null;
  private ua: UserAgent | null = null;
  private registerer: Registerer | null = null;
  private registering = false;
  private stopping = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectDelay: number;
  private session: Session | null = null;
  private ringTimer: ReturnType<typeof setTimeout> | null = null;
  private ringTimedOut = false;
  private recoveryTimer: ReturnType<typeof setTimeout> | null = null;
  private qualityTimer: ReturnType<typeof setInterval> | null = null;
  private firstAudioTimer: ReturnType<typeof setInterval> | null = null;
  private lastCounters: InboundAudioCounters | null = null;
  private readonly media: LocalMedia;
  setOutputDevice = (deviceId: string): Promise<void> => this.media.setOutputDevice(deviceId);
  setInputDevice = (deviceId: string | null): Promise<void> => this.media.setInputDevice(deviceId, this.peerConnection(this.session));
  getDevices = (): { input: string | null; output: string | null } => this.media.devices();
  private readonly onOnline = () => {
    if (this.snapshot.registration === 'reconnecting') this.reconnectNow();
  };

  constructor(
    private readonly api: SoftphoneApi,
    options: SoftphoneOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...options };
    this.reconnectDelay = this.opts.reconnectInitialMs;
    this.media = new LocalMedia(options.audioElement ?? new Audio());
  }

  getSnapshot = (): SoftphoneSnapshot => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private set(patch: Partial<SoftphoneSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l(this.snapshot);
  }

  private patchCall(patch: Partial<CallInfo>): void {
    if (this.snapshot.call) this.set({ call: { ...this.snapshot.call, ...patch } });
  }

  // ── registration ────────────────────────────────────────────────────────────────────────

  /** Loads the SIP credentials and registers. Calling it again re-reads them (after saving settings). */
  async start(): Promise<void> {
    await this.stop();
    this.stopping = false;
    const creds = await this.api.getSipCredentials();
    this.creds = creds;
    if (!creds) {
      this.set({ registration: 'unconfigured', extension: null, error: null });
      return;
    }
    const uri = UserAgent.makeURI(`sip:${creds.extension}@${creds.domain}`);
    if (!uri) {
      this.set({ registration: 'failed', error: `invalid SIP address ${creds.extension}@${creds.domain}` });
      return;
    }
    this.set({ registration: 'connecting', extension: creds.extension, error: null, server: creds.wsUrl, nextRetryAt: null });
    const ua = new UserAgent({
      uri,
      displayName: creds.displayName || creds.extension,
      authorizationUsername: creds.extension,
      authorizationPassword: creds.password,
      transportOptions: { server: creds.wsUrl, connectionTimeout: 5, keepAliveInterval: 20 },
      // Offline loopback and PBX-only deployments have no STUN; sip.js's public default would only stall ICE.
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: creds.iceServers },
        iceGatheringTimeout: this.opts.iceGatheringTimeoutMs,
      },
      sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(this.media.mediaStreamFactory),
      logBuiltinEnabled: false,
      logLevel: 'error',
      delegate: {
        onConnect: () => {
          void this.onTransportUp();
        },
        onDisconnect: (error) => {
          if (error && !this.stopping) this.onTransportDown(error.message);
        },
        onInvite: (invitation) => {
          void this.onIncoming(invitation);
        },
      },
    });
    this.ua = ua;
    this.registerer = new Registerer(ua, { expires: this.opts.registerExpiresSec });
    this.registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) this.set({ registration: 'registered', error: null });
      else if (state === RegistererState.Unregistered && this.snapshot.registration === 'registered')
        this.set({ registration: 'unregistered' });
    });
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
    try {
      await ua.start();
    } catch (e) {
      this.onTransportDown(e instanceof Error ? e.message : String(e));
    }
  }

  /** Hangs up (and logs) any call, unregisters and disconnects — on logout, before another agent signs in. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    // Taken synchronously: a start() racing this stop() builds its own user agent, left alone.
    const ua = this.ua;
    const registerer = this.registerer;
    this.ua = null;
    this.registerer = null;
    this.creds = null;
    if (this.session) await this.hangup().catch(() => undefined);
    if (ua) {
      try {
        if (registerer?.state === RegistererState.Registered) await registerer.unregister();
      } catch {
        /* transport may be gone */
      }
      await ua.stop().catch(() => undefined);
    }
    if (this.ua === null) this.set({ registration: 'unconfigured', extension: null, error: null, server: null, nextRetryAt: null });
  }

  private async onTransportUp(): Promise<void> {
    this.reconnectDelay = this.opts.reconnectInitialMs;
    this.set({ nextRetryAt: null });
    await this.register();
    void this.media.warmUp();
    // sip.js keeps a call "up" after a reconnect with no media path: a re-INVITE re-anchors it
    // (and carries the new Contact, so the far end reaches us on the new connection).
    if (this.session && this.snapshot.call?.recovering) await this.reanchorCall();
  }

  private async register(): Promise<void> {
    // A REGISTER sent while one is outstanding confuses sip.js's Registerer: one at a time.
    if (!this.registerer || this.registering) return;
    this.registering = true;
    try {
      await new Promise<void>((resolve) => {
        void this.registerer!.register({
          requestDelegate: {
            // After a reconnect the Registerer still thinks it is Registered, so no state change
            // fires: the 200 itself is what says we are reachable again.
            onAccept: () => {
              this.set({ registration: 'registered', error: null });
              resolve();
            },
            onReject: (r) => {
              this.set({ registration: 'failed', error: `REGISTER ${r.message.statusCode} ${r.message.reasonPhrase}` });
              resolve();
            },
          },
        }).catch((e: unknown) => {
          this.set({ registration: 'failed', error: String(e) });
          resolve();
        });
      });
    } finally {
      this.registering = false;
    }
  }

  private onTransportDown(message: string): void {
    if (this.stopping) return;
    this.set({ registration: 'reconnecting', error: message });
    if (this.session && this.snapshot.call && this.snapshot.call.phase !== 'ended') {
      const phase = this.snapshot.call.phase;
      if (phase === 'active') {
        this.patchCall({ recovering: true });
        if (!this.recoveryTimer) {
          this.recoveryTimer = setTimeout(() => {
            this.recoveryTimer = null;
            void this.abandonCall();
          }, this.opts.callRecoveryMs);
        }
      } else {
        // An unanswered call cannot be re-anchored: end it now, and say so.
        void this.abandonCall();
      }
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopping) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.opts.reconnectMaxMs, this.reconnectDelay * 2);
    this.set({ nextRetryAt: Date.now() + delay });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.reconnectNow();
    }, delay);
  }

  /** The agent's "Reintentar ahora": one attempt at once; a failure goes on backing off from where it was. */
  retryNow(): void {
    if (this.snapshot.registration === 'reconnecting') this.reconnectNow();
  }

  private reconnectNow(): void {
    const ua = this.ua;
    if (!ua || this.stopping) return;
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.set({ nextRetryAt: null });
    ua.reconnect().catch(() => this.scheduleReconnect());
  }

  // ── outbound ────────────────────────────────────────────────────────────────────────────

  /** Set from the click until the call exists: a double click must not place two calls. */
  private placing = false;

  async call(req: CallRequest): Promise<CallResult> {
    const clickAt = performance.now();
    if (this.session || this.placing) return { ok: false, reason: 'busy', message: 'a call is already in progress' };
    this.placing = true;
    try {
      return await this.place(req, clickAt);
    } finally {
      this.placing = false;
    }
  }

  private async place(req: CallRequest, clickAt: number): Promise<CallResult> {
    // The microphone opens while the compliance check runs, so the INVITE leaves right after the
    // decision; a refusal closes it again unused.
    this.media.prefetch();
    let decision: ComplianceDecision;
    try {
      decision = await this.api.checkContact({ accountId: req.accountId, contactPointId: req.contactPointId, channel: 'call' });
    } catch (e) {
      this.media.dropPrefetched();
      throw e;
    }
    const checkedAt = performance.now();
    if (!decision.allowed) {
      this.media.dropPrefetched();
      this.set({ blocked: decision });
      return { ok: false, reason: 'blocked', decision };
    }
    this.set({ blocked: null });
    const ua = this.ua;
    const creds = this.creds;
    if (!ua || !creds || this.snapshot.registration !== 'registered') {
      this.media.dropPrefetched();
      return { ok: false, reason: 'not_registered', message: `softphone is ${this.snapshot.registration}` };
    }
    const dial = toDialString(req.number, creds.dialPlan);
    if (!dial.ok) {
      this.media.dropPrefetched();
      return { ok: false, reason: 'invalid_number', message: `${req.number}: ${dial.reason}` };
    }
    const target = UserAgent.makeURI(`sip:${encodeURIComponent(dial.dial).replace(/%2B/g, '+')}@${creds.domain}`);
    if (!target) {
      this.media.dropPrefetched();
      return { ok: false, reason: 'invalid_number', message: req.number };
    }

    const inviter = new Inviter(ua, target, {
      sessionDescriptionHandlerOptions: { constraints: this.media.constraints() },
      earlyMedia: true,
    });
    const id = crypto.randomUUID();
    this.ringTimedOut = false;
    this.bindSession(inviter, {
      id,
      direction: 'outbound',
      accountId: req.accountId,
      contactPointId: req.contactPointId,
      address: req.number,
      dial: dial.dial,
      phase: 'dialing',
      startedAt: new Date().toISOString(),
      answeredAt: null,
      endedAt: null,
      held: false,
      muted: false,
      recovering: false,
      sipStatus: null,
      hangupBy: null,
      quality: null,
      caller: null,
      dtmfSent: '',
      timings: { clickAt, checkedAt, inviteSentAt: null, answeredAt: null, firstAudioAt: null },
    });
    const inviteOptions: InviterInviteOptions = {
      requestDelegate: {
        onProgress: (r) => {
          if ((r.message.statusCode ?? 0) >= 180) this.patchCall({ phase: this.snapshot.call?.phase === 'active' ? 'active' : 'ringing' });
        },
        onAccept: (r) => {
          this.patchCall({ sipStatus: r.message.statusCode ?? null });
        },
        onReject: (r) => {
          this.patchCall({ sipStatus: r.message.statusCode ?? null });
        },
      },
    };
    try {
      await inviter.invite(inviteOptions);
      this.patchCall({ timings: { ...this.snapshot.call!.timings, inviteSentAt: performance.now() } });
      this.startFirstAudioWatch();
    } catch (e) {
      this.patchCall({ hangupBy: 'system' });
      await this.finish();
      return { ok: false, reason: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
    this.ringTimer = setTimeout(() => {
      this.ringTimer = null;
      if (this.session === inviter && inviter.state === SessionState.Establishing) {
        this.ringTimedOut = true;
        this.patchCall({ hangupBy: 'system' });
        void inviter.cancel().catch(() => undefined);
      }
    }, this.opts.ringTimeoutMs);
    return { ok: true, callId: id };
  }

  // ── inbound ─────────────────────────────────────────────────────────────────────────────

  private async onIncoming(invitation: Invitation): Promise<void> {
    if (this.session || this.placing) {
      await invitation.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    const user = invitation.remoteIdentity.uri.user ?? '';
    const e164 = this.creds ? callerToE164(user, this.creds.dialPlan) : null;
    this.bindSession(invitation, {
      id: crypto.randomUUID(),
      direction: 'inbound',
      accountId: null,
      contactPointId: null,
      address: e164 ?? user,
      dial: user,
      phase: 'incoming',
      startedAt: new Date().toISOString(),
      answeredAt: null,
      endedAt: null,
      held: false,
      muted: false,
      recovering: false,
      sipStatus: null,
      hangupBy: null,
      quality: null,
      caller: null,
      dtmfSent: '',
      timings: { clickAt: performance.now(), checkedAt: null, inviteSentAt: null, answeredAt: null, firstAudioAt: null },
    });
    if (e164) {
      const match = await this.api.findAccountByPhone({ phone: e164 }).catch(() => null);
      if (match && this.session === invitation) this.patchCall({ caller: match, accountId: match.accountId });
    }
  }

  async answer(): Promise<void> {
    const s = this.session;
    if (!(s instanceof Invitation) || s.state !== SessionState.Initial) return;
    await s.accept({ sessionDescriptionHandlerOptions: { constraints: this.media.constraints() } });
    this.patchCall({ sipStatus: 200 });
  }

  async reject(): Promise<void> {
    const s = this.session;
    if (!(s instanceof Invitation) || s.state !== SessionState.Initial) return;
    this.patchCall({ hangupBy: 'agent', sipStatus: 486 });
    await s.reject({ statusCode: 486 });
  }

  // ── in call ─────────────────────────────────────────────────────────────────────────────

  /** Hang up an answered call, cancel a ringing one, or decline an incoming one. */
  async hangup(): Promise<void> {
    const s = this.session;
    if (!s) return;
    if (!this.snapshot.call?.hangupBy) this.patchCall({ hangupBy: 'agent' });
    if (s.state === SessionState.Established) await s.bye();
    else if (s instanceof Inviter && (s.state === SessionState.Initial || s.state === SessionState.Establishing)) await s.cancel();
    else if (s instanceof Invitation && s.state === SessionState.Initial) await s.reject({ statusCode: 486 });
    else if (s.state === SessionState.Terminated) await this.finish();
  }

  async hold(on: boolean): Promise<void> {
    const s = this.session;
    const call = this.snapshot.call;
    if (!s || !call || s.state !== SessionState.Established || call.held === on) return;
    const sdh = s.sessionDescriptionHandler;
    // Direction-based hold (sendonly/sendrecv) through the re-INVITE options — no SDP modifier,
    // so nothing lingers to be applied to later offers and answers.
    s.sessionDescriptionHandlerOptionsReInvite = {
      ...s.sessionDescriptionHandlerOptionsReInvite,
      hold: on,
    } as typeof s.sessionDescriptionHandlerOptionsReInvite;
    await new Promise<void>((resolve, reject) => {
      void s
        .invite({
          requestDelegate: {
            onAccept: () => {
              if (sdh instanceof Web.SessionDescriptionHandler) {
                sdh.enableReceiverTracks(!on);
                sdh.enableSenderTracks(!on && !call.muted);
              }
              this.patchCall({ held: on });
              resolve();
            },
            onReject: (r) => {
              s.sessionDescriptionHandlerOptionsReInvite = {
                ...s.sessionDescriptionHandlerOptionsReInvite,
                hold: !on,
              } as typeof s.sessionDescriptionHandlerOptionsReInvite;
              reject(new Error(`re-INVITE ${r.message.statusCode}`));
            },
          },
        })
        .catch(reject);
    });
  }

  mute(on: boolean): void {
    const s = this.session;
    const call = this.snapshot.call;
    if (!s || !call) return;
    const sdh = s.sessionDescriptionHandler;
    if (sdh instanceof Web.SessionDescriptionHandler) sdh.enableSenderTracks(!on && !call.held);
    this.patchCall({ muted: on });
  }

  /** Sends DTMF digits (0-9, *, #, A-D): in-band RFC 4733 when negotiated, SIP INFO otherwise. */
  async sendDtmf(digits: string): Promise<'rfc4733' | 'info'> {
    if (!/^[0-9*#A-Da-d]+$/.test(digits)) throw new Error(`invalid DTMF digits: ${digits}`);
    const s = this.session;
    if (!s || s.state !== SessionState.Established) throw new Error('no established call');
    const sdh = s.sessionDescriptionHandler;
    let via: 'rfc4733' | 'info' = 'info';
    if (this.opts.dtmfMode === 'auto' && sdh instanceof Web.SessionDescriptionHandler && this.remoteOffersTelephoneEvent(sdh)) {
      if (sdh.sendDtmf(digits, { duration: 100, interToneGap: 70 })) via = 'rfc4733';
    }
    if (via === 'info') {
      for (const d of digits) {
        await s.info({
          requestOptions: {
            body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${d}\r\nDuration=100` },
          },
        });
      }
    }
    this.patchCall({ dtmfSent: (this.snapshot.call?.dtmfSent ?? '') + digits });
    return via;
  }

  setDtmfMode(mode: 'auto' | 'info'): void {
    this.opts = { ...this.opts, dtmfMode: mode };
  }

  private remoteOffersTelephoneEvent(sdh: Web.SessionDescriptionHandler): boolean {
    const sdp = sdh.peerConnection?.remoteDescription?.sdp ?? '';
    return /a=rtpmap:\d+ telephone-event\//i.test(sdp);
  }

  /** Blind transfer (REFER) to an extension or number; the supervisor's by default. */
  async transfer(target?: string): Promise<void> {
    const s = this.session;
    const creds = this.creds;
    if (!s || !creds || s.state !== SessionState.Established) throw new Error('no established call');
    const to = target ?? creds.supervisorExtension;
    if (!to) throw new Error('no transfer target (supervisor extension not configured)');
    const dial = toDialString(to, creds.dialPlan);
    if (!dial.ok) throw new Error(`cannot dial ${to}: ${dial.reason}`);
    const uri = UserAgent.makeURI(`sip:${dial.dial}@${creds.domain}`);
    if (!uri) throw new Error(`cannot dial ${to}`);
    await new Promise<void>((resolve, reject) => {
      void s
        .refer(uri, {
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (r) => reject(new Error(`REFER ${r.message.statusCode}`)),
          },
        })
        .catch(reject);
    });
    this.patchCall({ hangupBy: 'agent' });
    await s.bye().catch(() => undefined);
  }

  // ── session lifecycle ───────────────────────────────────────────────────────────────────

  private bindSession(session: Session, info: CallInfo): void {
    this.session = session;
    this.lastCounters = null;
    this.set({ call: info });
    session.delegate = {
      onSessionDescriptionHandler: (sdh) => {
        if (sdh instanceof Web.SessionDescriptionHandler && (this.creds?.iceServers.length ?? 0) === 0)
          LocalMedia.shortenHostOnlyIceGathering(sdh);
      },
      onBye: (bye) => {
        if (!this.snapshot.call?.hangupBy) this.patchCall({ hangupBy: 'remote' });
        void bye.accept().catch(() => undefined);
      },
      // Re-INVITEs from the far end (its hold, its reconnect) need no action: sip.js answers them.
    };
    session.stateChange.addListener((state) => {
      if (this.session !== session) return;
      if (state === SessionState.Established) {
        this.clearRingTimer();
        this.patchCall({
          phase: 'active',
          answeredAt: new Date().toISOString(),
          sipStatus: this.snapshot.call?.sipStatus ?? 200,
          timings: { ...this.snapshot.call!.timings, answeredAt: performance.now() },
        });
        this.attachRemoteAudio(session);
        this.startQuality(session);
      } else if (state === SessionState.Terminated) {
        // Ended without a hang-up from us: the far end rejected, cancelled or hung up.
        if (!this.snapshot.call?.hangupBy) this.patchCall({ hangupBy: 'remote' });
        // An incoming call that stops ringing before we answer was cancelled by the caller: 487.
        const c = this.snapshot.call;
        if (c && c.direction === 'inbound' && !c.answeredAt && c.sipStatus === null) this.patchCall({ sipStatus: 487 });
        // sip.js reports the final response to our request delegate only after this transition:
        // let it land so the attempt carries the real SIP status.
        setTimeout(() => {
          void this.finish();
        }, 0);
      }
    });
  }

  private attachRemoteAudio(session: Session): void {
    const sdh = session.sessionDescriptionHandler;
    if (sdh instanceof Web.SessionDescriptionHandler) this.media.play(sdh.remoteMediaStream);
  }

  private peerConnection(session: Session | null): RTCPeerConnection | null {
    const sdh = session?.sessionDescriptionHandler;
    return sdh instanceof Web.SessionDescriptionHandler ? (sdh.peerConnection ?? null) : null;
  }

  private startQuality(session: Session): void {
    this.stopQuality();
    this.qualityTimer = setInterval(() => {
      const pc = this.peerConnection(session);
      if (!pc || this.session !== session) return;
      void readInboundAudio(pc)
        .then((cur) => {
          if (this.session !== session) return;
          this.patchCall({ quality: toQuality(this.lastCounters, cur) });
          this.lastCounters = cur;
        })
        .catch(() => undefined);
    }, this.opts.qualityIntervalMs);
  }

  /** Polls getStats briefly to time the first inbound audio packet (for the bench and the UI). */
  private startFirstAudioWatch(): void {
    const session = this.session;
    if (this.firstAudioTimer) clearInterval(this.firstAudioTimer);
    this.firstAudioTimer = setInterval(() => {
      const pc = this.peerConnection(session);
      if (!pc || this.session !== session) {
        this.stopFirstAudioWatch();
        return;
      }
      void readInboundAudio(pc)
        .then((c) => {
          if (c.packetsReceived > 0 && this.session === session && this.snapshot.call && this.snapshot.call.timings.firstAudioAt === null) {
            this.patchCall({ timings: { ...this.snapshot.call.timings, firstAudioAt: performance.now() } });
            this.stopFirstAudioWatch();
          }
        })
        .catch(() => undefined);
    }, 10);
  }

  private stopFirstAudioWatch(): void {
    if (this.firstAudioTimer) clearInterval(this.firstAudioTimer);
    this.firstAudioTimer = null;
  }

  private stopQuality(): void {
    if (this.qualityTimer) clearInterval(this.qualityTimer);
    this.qualityTimer = null;
  }

  private clearRingTimer(): void {
    if (this.ringTimer) clearTimeout(this.ringTimer);
    this.ringTimer = null;
  }

  private async reanchorCall(): Promise<void> {
    const s = this.session;
    if (!s || s.state !== SessionState.Established) return;
    try {
      await new Promise<void>((resolve, reject) => {
        void s
          .invite({
            requestDelegate: { onAccept: () => resolve(), onReject: (r) => reject(new Error(`re-INVITE ${r.message.statusCode}`)) },
          })
          .catch(reject);
      });
      if (this.recoveryTimer) {
        clearTimeout(this.recoveryTimer);
        this.recoveryTimer = null;
      }
      this.patchCall({ recovering: false });
    } catch {
      await this.abandonCall();
    }
  }

  /** The call cannot continue (transport gone too long, or the far end unreachable): end it and log it. */
  private async abandonCall(): Promise<void> {
    const s = this.session;
    if (!s) return;
    if (this.recoveryTimer) {
      clearTimeout(this.recoveryTimer);
      this.recoveryTimer = null;
    }
    if (!this.snapshot.call?.hangupBy) this.patchCall({ hangupBy: 'system' });
    try {
      if (s.state === SessionState.Established) await s.bye();
      else if (s instanceof Inviter && s.state === SessionState.Establishing) await s.cancel();
    } catch {
      /* the transport is down: nothing reaches the far end anyway */
    }
    // Whether or not sip.js reaches Terminated (it will not while the transport is down), the
    // attempt is closed and logged now.
    await this.finish();
  }

  private finishing = false;

  /** Closes the call exactly once: timers off, attempt logged, lastEnded published. */
  private async finish(): Promise<void> {
    const call = this.snapshot.call;
    if (!call || this.finishing || call.phase === 'ended') return;
    this.finishing = true;
    try {
      this.clearRingTimer();
      this.stopQuality();
      this.stopFirstAudioWatch();
      if (this.recoveryTimer) {
        clearTimeout(this.recoveryTimer);
        this.recoveryTimer = null;
      }
      const endedAt = new Date().toISOString();
      const answered = call.answeredAt !== null;
      const durationSec = answered ? Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(call.answeredAt!)) / 1000)) : null;
      const sipStatus = call.sipStatus ?? (call.hangupBy === 'agent' && !answered && call.direction === 'outbound' ? 487 : null);
      const ended: CallInfo = { ...call, phase: 'ended', endedAt, sipStatus, recovering: false };
      this.session = null;
      this.media.play(null);
      this.set({ call: ended });
      const suggested = suggestDisposition({ answered, sipStatus, ringTimeout: this.ringTimedOut });
      let activityId: string | null = null;
      let logError: string | null = null;
      if (call.accountId) {
        try {
          const res = await this.api.logCallAttempt({
            id: call.id,
            accountId: call.accountId,
            contactPointId: call.contactPointId,
            address: call.address,
            direction: call.direction,
            startedAt: call.startedAt,
            answeredAt: call.answeredAt,
            endedAt,
            durationSec,
            sipStatus,
            hangupBy: call.hangupBy ?? 'system',
          });
          activityId = res.activityId;
        } catch (e) {
          logError = e instanceof Error ? e.message : String(e);
        }
      } else {
        logError = 'caller not matched to an account';
      }
      this.set({
        lastEnded: {
          activityId,
          accountId: call.accountId,
          sipStatus,
          suggestedDisposition: suggested,
          hangupBy: call.hangupBy ?? 'system',
          durationSec,
          logError,
        },
      });
    } finally {
      this.finishing = false;
    }
  }

  /** Clears the ended call from view (the bar goes back to idle). */
  dismissEnded(): void {
    if (this.snapshot.call?.phase === 'ended') this.set({ call: null });
  }

  /** For diagnostics and tests: the live peer connection of the current call. */
  currentPeerConnection(): RTCPeerConnection | null {
    return this.peerConnection(this.session);
  }
}
