import type { SoftphoneApi } from '../../../src/renderer/softphone/engine';
import { SoftphoneEngine, type CallRequest, type SoftphoneOptions } from '../../../src/renderer/softphone/engine';

/**
 * Test page for the softphone engine on its own: the engine is the product code; the API it
 * talks to forwards every call to the test's HTTP server (/api/<method>), which answers
 * credentials and the compliance decision and records the call attempts.
 */
async function rpc<T>(method: string, input: unknown): Promise<T> {
  const res = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input ?? null),
  });
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const api: SoftphoneApi = {
  getSipCredentials: () => rpc('getSipCredentials', null),
  logCallAttempt: (input) => rpc('logCallAttempt', input),
  checkContact: (input) => rpc('checkContact', input),
  findAccountByPhone: (input) => rpc('findAccountByPhone', input),
};

let engine: SoftphoneEngine | null = null;
const audioElement = new Audio();
const log: string[] = [];

const harness = {
  async start(options: Omit<SoftphoneOptions, 'audioElement'> = {}): Promise<void> {
    engine = new SoftphoneEngine(api, { ...options, audioElement });
    engine.subscribe((s) => {
      log.push(`${s.registration}|${s.call?.phase ?? '-'}`);
    });
    await engine.start();
  },
  snapshot: () => engine!.getSnapshot(),
  call: (req: CallRequest) => engine!.call(req),
  hangup: () => engine!.hangup(),
  hold: (on: boolean) => engine!.hold(on),
  mute: (on: boolean) => engine!.mute(on),
  dtmf: (digits: string) => engine!.sendDtmf(digits),
  setDtmfMode: (mode: 'auto' | 'info') => engine!.setDtmfMode(mode),
  transfer: (target?: string) => engine!.transfer(target),
  answer: () => engine!.answer(),
  reject: () => engine!.reject(),
  stop: () => engine!.stop(),
  log: () => [...log],
  async inboundPackets(): Promise<number> {
    const pc = engine!.currentPeerConnection();
    if (!pc) return 0;
    let n = 0;
    (await pc.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') n += Number(s.packetsReceived ?? 0);
    });
    return n;
  },
  async devices(): Promise<Array<{ kind: string; deviceId: string; label: string }>> {
    return (await navigator.mediaDevices.enumerateDevices()).map((d) => ({ kind: d.kind, deviceId: d.deviceId, label: d.label }));
  },
  setInputDevice: (id: string | null) => engine!.setInputDevice(id),
  setOutputDevice: (id: string) => engine!.setOutputDevice(id),
  sinkId: () => (audioElement as HTMLAudioElement & { sinkId?: string }).sinkId ?? null,
  senderTrackLabel(): string | null {
    const pc = engine!.currentPeerConnection();
    return pc?.getSenders().find((s) => s.track?.kind === 'audio')?.track?.label ?? null;
  },
  /** RFC 4733 tones the agent's RTCDTMFSender actually played out. */
  dtmfTonesPlayed: [] as string[],
  watchDtmfSender(): void {
    const pc = engine!.currentPeerConnection();
    const sender = pc?.getSenders().find((s) => s.track?.kind === 'audio');
    if (sender?.dtmf)
      sender.dtmf.ontonechange = (e) => {
        if (e.tone) harness.dtmfTonesPlayed.push(e.tone);
      };
  },
};

(window as unknown as { agent: typeof harness }).agent = harness;
export type AgentHarness = typeof harness;
