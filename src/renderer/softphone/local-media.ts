import { Web } from 'sip.js';

/**
 * The agent's side of the audio: which microphone and speaker, the microphone opened ahead of
 * the INVITE, the one-off warm-up, and the ICE shortcut for host-only configurations. Kept apart
 * from the SIP logic in engine.ts; the engine hands sip.js `mediaStreamFactory`.
 */
export class LocalMedia {
  private inputDeviceId: string | null = null;
  private outputDeviceId: string | null = null;
  private prefetched: Promise<MediaStream> | null = null;
  private warmedUp = false;

  constructor(readonly audio: HTMLAudioElement) {
    this.audio.autoplay = true;
  }

  constraints(): { audio: MediaTrackConstraints | boolean; video: false } {
    return { audio: this.inputDeviceId ? { deviceId: { exact: this.inputDeviceId } } : true, video: false };
  }

  devices(): { input: string | null; output: string | null } {
    return { input: this.inputDeviceId, output: this.outputDeviceId };
  }

  async setOutputDevice(deviceId: string): Promise<void> {
    this.outputDeviceId = deviceId;
    const el = this.audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (el.setSinkId) await el.setSinkId(deviceId);
  }

  /** Takes effect on the next call, and on `pc`'s (the current call's) by replacing its track. */
  async setInputDevice(deviceId: string | null, pc: RTCPeerConnection | null): Promise<void> {
    this.inputDeviceId = deviceId;
    if (!pc) return;
    const stream = await navigator.mediaDevices.getUserMedia(this.constraints());
    const track = stream.getAudioTracks()[0];
    const sender = pc.getSenders().find((x) => x.track?.kind === 'audio');
    if (!track || !sender) return;
    const old = sender.track;
    await sender.replaceTrack(track);
    old?.stop();
  }

  play(stream: MediaStream | null): void {
    this.audio.srcObject = stream;
    if (stream) void this.audio.play().catch(() => undefined);
  }

  /**
   * The first getUserMedia and the first peer connection of a page are several times slower than
   * the next ones. Pay that once at registration (which also asks for the microphone permission
   * up front, not in the middle of the first call) instead of on the agent's first click.
   */
  async warmUp(): Promise<void> {
    if (this.warmedUp || typeof navigator === 'undefined' || !navigator.mediaDevices || typeof RTCPeerConnection === 'undefined') return;
    this.warmedUp = true;
    try {
      const stream = await navigator.mediaDevices.getUserMedia(this.constraints());
      const pc = new RTCPeerConnection({ iceServers: [] });
      for (const t of stream.getTracks()) pc.addTrack(t, stream);
      await pc.setLocalDescription(await pc.createOffer());
      pc.close();
      for (const t of stream.getTracks()) t.stop();
    } catch {
      /* no microphone yet: the first call will ask, and say so if it fails */
    }
  }

  /** Opens the microphone now, for the call about to be placed. */
  prefetch(): void {
    if (this.prefetched || typeof navigator === 'undefined' || !navigator.mediaDevices) return;
    const p = navigator.mediaDevices.getUserMedia(this.constraints());
    p.catch(() => undefined);
    this.prefetched = p;
  }

  /** The call was not placed after all: close the microphone opened for it. */
  dropPrefetched(): void {
    const p = this.prefetched;
    this.prefetched = null;
    void p?.then(
      (stream) => {
        for (const t of stream.getTracks()) t.stop();
      },
      () => undefined,
    );
  }

  /** sip.js asks for local media through this: hand over the prefetched stream when there is one. */
  readonly mediaStreamFactory: Web.MediaStreamFactory = (constraints, sdh, options) => {
    const p = this.prefetched;
    this.prefetched = null;
    if (p && constraints.audio && !constraints.video) return p.catch(() => Web.defaultMediaStreamFactory()(constraints, sdh, options));
    return Web.defaultMediaStreamFactory()(constraints, sdh, options);
  };

  /**
   * With no STUN/TURN servers only host candidates can exist. Chromium hands out the UDP ones
   * within a few ms but reports gathering complete only after its TCP candidates (~130 ms later),
   * which would sit between the click and the INVITE: finish once the UDP ones have gone quiet.
   */
  static shortenHostOnlyIceGathering(sdh: Web.SessionDescriptionHandler): void {
    let timers: Array<ReturnType<typeof setTimeout>> = [];
    sdh.peerConnectionDelegate = {
      onicecandidate: (ev: RTCPeerConnectionIceEvent) => {
        if (!ev.candidate || !/ udp /i.test(` ${ev.candidate.candidate} `)) return;
        for (const t of timers) clearTimeout(t);
        // Repeated: a call made before sip.js has started waiting is a no-op.
        timers = [6, 12, 20, 30, 45, 60].map((ms) => setTimeout(() => sdh.iceGatheringComplete(), ms));
      },
    };
  }
}
