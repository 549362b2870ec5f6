import { describe, expect, it } from 'vitest';
import { baseScore, prioritize, propensityWeight, TIER, TIERS, type PriorityInput } from '../../../src/shared/rules/priority';

/** docs/priority.md, "With a risk score": the propensity replaces the segment as the risk weight. */
const now = new Date('2026-11-25T15:00:00Z');
const base: PriorityInput = {
  dpd: 45,
  balanceMinor: 2_000_000,
  currency: 'COP',
  segment: 'medium',
  status: 'active',
  callbackAt: null,
  lastContactAt: null,
  timeZone: 'America/Bogota',
  promises: [],
};

describe('priority with scores', () => {
  it('orders the risk tier by propensity × balance, whatever the file segment says', () => {
    const rows = [
      { id: 'low-p-high-seg', input: { ...base, segment: 'high' as const, propensity: 0.05 } },
      { id: 'high-p-low-seg', input: { ...base, segment: 'low' as const, propensity: 0.9 } },
      { id: 'mid-p', input: { ...base, propensity: 0.5 } },
      { id: 'high-p-small-balance', input: { ...base, propensity: 0.9, balanceMinor: 20_000 } },
    ];
    const order = rows
      .map((r) => ({ id: r.id, p: prioritize(r.input, now) }))
      .sort((a, b) => b.p.score - a.p.score)
      .map((r) => r.id);
    expect(order).toEqual(['high-p-low-seg', 'mid-p', 'low-p-high-seg', 'high-p-small-balance']);
  });

  it('gives the propensity as the readable reason, and keeps the tiers above it', () => {
    const p = prioritize({ ...base, propensity: 0.624 }, now);
    expect(p.reason).toEqual({ code: 'propensity', params: { percent: 62, bucket: '31-60', dpd: 45 } });
    expect(Math.floor(p.score / TIER)).toBe(TIERS.risk);
    const callback = prioritize({ ...base, propensity: 0.99, callbackAt: '2026-11-25T14:00:00Z' }, now);
    expect(callback.reason.code).toBe('callback_due');
  });

  it('weighs a propensity in the segments’ range: 0 like low, 1 like high, none like the segment', () => {
    expect(propensityWeight(0)).toBe(1);
    expect(propensityWeight(1)).toBe(3);
    expect(baseScore({ ...base, segment: 'high', propensity: 1 })).toBe(baseScore({ ...base, segment: 'high' }));
    expect(baseScore({ ...base, segment: 'high', propensity: null })).toBe(baseScore({ ...base, segment: 'high' }));
    expect(prioritize({ ...base, propensity: null }, now).reason.code).toBe('risk');
  });
});
