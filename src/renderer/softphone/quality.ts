import { estimateMos, lossBetween, qualityLevel, type QualityLevel } from '../../shared/telephony/mos';

export interface CallQuality {
  mos: number;
  level: QualityLevel;
  lossPercent: number;
  jitterMs: number;
  rttMs: number;
  packetsReceived: number;
}

export interface InboundAudioCounters {
  packetsReceived: number;
  packetsLost: number;
  jitterMs: number;
  rttMs: number;
}

/** The numbers the quality badge needs, from one getStats() report. */
export async function readInboundAudio(pc: RTCPeerConnection): Promise<InboundAudioCounters> {
  const report = await pc.getStats();
  let packetsReceived = 0;
  let packetsLost = 0;
  let jitterMs = 0;
  let rttMs: number | null = null;
  report.forEach((s: Record<string, unknown>) => {
    const kind = s.kind ?? s.mediaType;
    if (s.type === 'inbound-rtp' && kind === 'audio') {
      packetsReceived += Number(s.packetsReceived ?? 0);
      packetsLost += Number(s.packetsLost ?? 0);
      jitterMs = Math.max(jitterMs, Number(s.jitter ?? 0) * 1000);
    } else if (s.type === 'remote-inbound-rtp' && kind === 'audio' && typeof s.roundTripTime === 'number') {
      rttMs = s.roundTripTime * 1000;
    } else if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number' && rttMs === null) {
      rttMs = s.currentRoundTripTime * 1000;
    }
  });
  return { packetsReceived, packetsLost, jitterMs, rttMs: rttMs ?? 0 };
}

/** Quality over the window since the previous sample (loss is per window, not since the start). */
export function toQuality(prev: InboundAudioCounters | null, cur: InboundAudioCounters): CallQuality {
  const lossPercent = lossBetween(prev, cur);
  const mos = estimateMos({ rttMs: cur.rttMs, jitterMs: cur.jitterMs, lossPercent });
  return {
    mos,
    level: qualityLevel(mos),
    lossPercent: Math.round(lossPercent * 10) / 10,
    jitterMs: Math.round(cur.jitterMs),
    rttMs: Math.round(cur.rttMs),
    packetsReceived: cur.packetsReceived,
  };
}
