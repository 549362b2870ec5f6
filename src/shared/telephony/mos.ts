/**
 * Call quality from WebRTC getStats numbers, as an estimated MOS (1–4.5) using the common
 * simplification of the ITU-T G.107 E-model (Cole & Rosenbluth): delay and loss impairments
 * subtracted from the default R of 93.2. It is an estimate for the agent's quality badge, not a
 * measurement of perceived speech quality.
 */
export interface QualitySample {
  /** Round-trip time in ms (remote-inbound-rtp roundTripTime × 1000, or candidate-pair RTT). */
  rttMs: number;
  /** Inbound jitter in ms. */
  jitterMs: number;
  /** Packets lost as a percentage (0–100) over the sampling window. */
  lossPercent: number;
}

export type QualityLevel = 'good' | 'fair' | 'poor' | 'bad';

/** Codec and packetisation delay assumed on top of the network's. */
const CODEC_DELAY_MS = 10;

export function rFactor(s: QualitySample): number {
  const rtt = Math.max(0, s.rttMs);
  const jitter = Math.max(0, s.jitterMs);
  const loss = Math.min(100, Math.max(0, s.lossPercent));
  const effectiveLatency = rtt / 2 + jitter * 2 + CODEC_DELAY_MS;
  let r = effectiveLatency < 160 ? 93.2 - effectiveLatency / 40 : 93.2 - (effectiveLatency - 120) / 10;
  r -= loss * 2.5;
  return Math.min(100, Math.max(0, r));
}

export function estimateMos(s: QualitySample): number {
  const r = rFactor(s);
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}

export function qualityLevel(mos: number): QualityLevel {
  if (mos >= 4.0) return 'good';
  if (mos >= 3.6) return 'fair';
  if (mos >= 3.1) return 'poor';
  return 'bad';
}

/** Loss percentage between two cumulative (packetsReceived, packetsLost) samples. */
export function lossBetween(
  prev: { packetsReceived: number; packetsLost: number } | null,
  cur: { packetsReceived: number; packetsLost: number },
): number {
  const received = cur.packetsReceived - (prev?.packetsReceived ?? 0);
  const lost = Math.max(0, cur.packetsLost - (prev?.packetsLost ?? 0));
  const total = received + lost;
  return total <= 0 ? 0 : (lost / total) * 100;
}
