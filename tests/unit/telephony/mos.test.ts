import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { estimateMos, lossBetween, qualityLevel, rFactor } from '../../../src/shared/telephony/mos';

describe('estimateMos (E-model simplification)', () => {
  it('a clean loopback call rates as good (~4.4)', () => {
    const mos = estimateMos({ rttMs: 2, jitterMs: 1, lossPercent: 0 });
    expect(mos).toBeGreaterThanOrEqual(4.3);
    expect(mos).toBeLessThanOrEqual(4.5);
    expect(qualityLevel(mos)).toBe('good');
  });

  it('matches the textbook values at known points', () => {
    // 10 ms codec only: R = 93.2 - 10/40 = 92.95
    expect(rFactor({ rttMs: 0, jitterMs: 0, lossPercent: 0 })).toBeCloseTo(92.95, 2);
    // effective latency 300 ms: R = 93.2 - (300-120)/10 = 75.2
    expect(rFactor({ rttMs: 500, jitterMs: 20, lossPercent: 0 })).toBeCloseTo(75.2, 2);
    // 10 % loss costs 25 R points
    expect(rFactor({ rttMs: 0, jitterMs: 0, lossPercent: 10 })).toBeCloseTo(67.95, 2);
  });

  it('heavy loss and delay rate as bad', () => {
    const mos = estimateMos({ rttMs: 800, jitterMs: 80, lossPercent: 15 });
    expect(qualityLevel(mos)).toBe('bad');
  });

  it('never leaves 1..4.5 and never improves with more loss, jitter or delay', () => {
    const sample = fc.record({
      rttMs: fc.double({ min: 0, max: 5000, noNaN: true }),
      jitterMs: fc.double({ min: 0, max: 1000, noNaN: true }),
      lossPercent: fc.double({ min: 0, max: 100, noNaN: true }),
    });
    fc.assert(
      fc.property(sample, fc.double({ min: 0, max: 50, noNaN: true }), (s, d) => {
        const m = estimateMos(s);
        expect(m).toBeGreaterThanOrEqual(1);
        expect(m).toBeLessThanOrEqual(4.5);
        expect(estimateMos({ ...s, lossPercent: Math.min(100, s.lossPercent + d) })).toBeLessThanOrEqual(m);
        expect(estimateMos({ ...s, jitterMs: s.jitterMs + d })).toBeLessThanOrEqual(m);
        expect(estimateMos({ ...s, rttMs: s.rttMs + d })).toBeLessThanOrEqual(m);
      }),
    );
  });
});

describe('lossBetween', () => {
  it('is the share of packets lost in the window', () => {
    expect(lossBetween({ packetsReceived: 100, packetsLost: 0 }, { packetsReceived: 190, packetsLost: 10 })).toBe(10);
    expect(lossBetween(null, { packetsReceived: 0, packetsLost: 0 })).toBe(0);
  });
});
