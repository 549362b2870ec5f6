import type { Channel } from '../domain/channels';
import { shrink } from './contact-habits';

/**
 * Channel recommendation per debtor and stage (docs/contact-habits.md). For each outbound contact
 * on a channel, a RESPONSE is what followed it: a right-party conversation (calls, visits), the
 * message read, a reply from the debtor within RESPONSE_DAYS, or a payment within PAYMENT_DAYS.
 * The debtor's response rate on a channel is smoothed towards the rate of debtors of the same
 * segment and stage on that channel (the same beta prior as the best hours):
 *
 *   rate(c) = (responses_deb(c) + M · rate_seg,stage(c)) / (attempts_deb(c) + M)
 *
 * The recommended channel is the allowed one with the highest rate; the reason says whether the
 * debtor's own answers decided it or their segment's.
 */
export const RESPONSE_DAYS = 3;
export const PAYMENT_DAYS = 7;
/** Below this many own attempts on the chosen channel, the reason cites the segment, not the debtor. */
export const OWN_EVIDENCE = 3;

export interface ChannelStats {
  channel: Channel;
  attempts: number;
  /** Attempts followed by a conversation, a read, a reply or a payment. */
  responses: number;
  /** Attempts followed by a payment (within PAYMENT_DAYS). */
  payments: number;
}

export interface ChannelRecommendation {
  channel: Channel;
  rate: number;
  reason: { code: string; params: Record<string, string | number> };
}

export function recommendChannel(
  own: ReadonlyArray<ChannelStats>,
  segment: ReadonlyArray<ChannelStats>,
  allowed: ReadonlyArray<Channel>,
): ChannelRecommendation | null {
  if (allowed.length === 0) return null;
  const segTotal = segment.reduce((n, s) => n + s.attempts, 0);
  const segResp = segment.reduce((n, s) => n + s.responses, 0);
  const base = segTotal > 0 ? segResp / segTotal : 0.2;
  const scored = allowed.map((channel) => {
    const o = own.find((s) => s.channel === channel);
    const g = segment.find((s) => s.channel === channel);
    const segRate = shrink(g?.responses ?? 0, g?.attempts ?? 0, base);
    return { channel, o, g, segRate, rate: shrink(o?.responses ?? 0, o?.attempts ?? 0, segRate) };
  });
  // ties: the order of `allowed` (the caller lists the cheaper channels first)
  const best = scored.reduce((a, b) => (b.rate > a.rate + 1e-9 ? b : a));
  const pct = Math.round(best.rate * 100);
  if (best.o && best.o.attempts >= OWN_EVIDENCE) {
    const code = best.o.payments > 0 ? 'own_payments' : 'own_responses';
    return {
      channel: best.channel,
      rate: best.rate,
      reason: {
        code,
        params: { channel: best.channel, responses: best.o.responses, attempts: best.o.attempts, payments: best.o.payments, pct },
      },
    };
  }
  return {
    channel: best.channel,
    rate: best.rate,
    reason: { code: 'segment', params: { channel: best.channel, pct, attempts: best.g?.attempts ?? 0 } },
  };
}
