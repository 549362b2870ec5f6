import { Invitation, Inviter, SessionState, UserAgent, Web, type Session } from 'sip.js';

/**
 * A bare sip.js phone standing in for the debtor (and for the supervisor in transfer tests):
 * registers, then answers, rejects with 486 or never answers incoming calls. It records what a
 * test needs to see from the far end: SIP INFO DTMF digits, REFERs, and inbound audio counters.
 */
export type DebtorMode = 'answer' | 'busy' | 'never';

interface DebtorPhoneState {
  registered: boolean;
  mode: DebtorMode;
  calls: number;
  state: string;
  infoDigits: string;
  remoteSdp: string;
  referredTo: string[];
  byeReceived: boolean;
}

const state: DebtorPhoneState = {
  registered: false,
  mode: 'answer',
  calls: 0,
  state: 'idle',
  infoDigits: '',
  remoteSdp: '',
  referredTo: [],
  byeReceived: false,
};
let ua: UserAgent | null = null;
let current: Session | null = null;

function pc(): RTCPeerConnection | null {
  const sdh = current?.sessionDescriptionHandler;
  return sdh instanceof Web.SessionDescriptionHandler ? (sdh.peerConnection ?? null) : null;
}

// Remote audio is played out, as a phone would: Chromium only measures received audio energy
// (totalAudioEnergy, used by the mute test) for a stream that is being played.
const speaker = new Audio();
speaker.autoplay = true;

function track(session: Session): void {
  current = session;
  session.stateChange.addListener((s) => {
    state.state = s;
    const sdh = session.sessionDescriptionHandler;
    if (s === SessionState.Established && sdh instanceof Web.SessionDescriptionHandler) {
      speaker.srcObject = sdh.remoteMediaStream;
      void speaker.play().catch(() => undefined);
    }
  });
  session.delegate = {
    onInfo: (info) => {
      const body = info.request.body ?? '';
      const m = /Signal=\s*([0-9A-D*#])/i.exec(body);
      if (m?.[1]) state.infoDigits += m[1];
      void info.accept();
    },
    onRefer: (referral) => {
      state.referredTo.push(referral.referTo.uri.toString());
      void referral.accept().then(() => {
        const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
        track(inviter);
        void inviter.invite();
      });
    },
    onBye: (bye) => {
      state.byeReceived = true;
      void bye.accept();
    },
  };
}

const api = {
  async start(opts: { wsUrl: string; user: string; domain: string; mode?: DebtorMode }): Promise<void> {
    state.mode = opts.mode ?? 'answer';
    ua = new UserAgent({
      uri: UserAgent.makeURI(`sip:${opts.user}@${opts.domain}`)!,
      transportOptions: { server: opts.wsUrl },
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 500 },
      logBuiltinEnabled: false,
      logLevel: 'error',
      delegate: {
        onInvite: (inv: Invitation) => {
          state.calls += 1;
          if (current && current.state !== SessionState.Terminated) {
            void inv.reject({ statusCode: 486 });
            return;
          }
          track(inv);
          state.byeReceived = false;
          if (state.mode === 'busy') void inv.reject({ statusCode: 486 });
          else if (state.mode === 'answer') {
            void inv.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } }).then(() => {
              state.remoteSdp = pc()?.remoteDescription?.sdp ?? '';
            });
          } else void inv.progress();
        },
      },
    });
    await ua.start();
    const { Registerer } = await import('sip.js');
    const reg = new Registerer(ua, { expires: 300 });
    await new Promise<void>((resolve, reject) => {
      void reg.register({
        requestDelegate: { onAccept: () => resolve(), onReject: (r) => reject(new Error(`REGISTER ${r.message.statusCode}`)) },
      });
    });
    state.registered = true;
  },
  setMode(mode: DebtorMode): void {
    state.mode = mode;
  },
  state(): DebtorPhoneState {
    return { ...state, referredTo: [...state.referredTo] };
  },
  async inboundPackets(): Promise<number> {
    const p = pc();
    if (!p) return 0;
    let n = 0;
    (await p.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') n += Number(s.packetsReceived ?? 0);
    });
    return n;
  },
  /** Cumulative energy of the audio received (inbound-rtp totalAudioEnergy): flat while the far end is muted. */
  async inboundEnergy(): Promise<number> {
    const p = pc();
    if (!p) return 0;
    let e = 0;
    (await p.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') e += Number(s.totalAudioEnergy ?? 0);
    });
    return e;
  },
  async hangup(): Promise<void> {
    if (current?.state === SessionState.Established) await current.bye();
    else if (current instanceof Inviter && current.state === SessionState.Establishing) await current.cancel();
  },
  /** Calls someone (the agent), for inbound tests. */
  async call(target: string, domain: string): Promise<void> {
    if (!ua) throw new Error('not started');
    const inviter = new Inviter(ua, UserAgent.makeURI(`sip:${target}@${domain}`)!, {
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
    });
    track(inviter);
    await inviter.invite();
  },
};

(window as unknown as { debtorPhone: typeof api }).debtorPhone = api;
export type DebtorPhoneApi = typeof api;
