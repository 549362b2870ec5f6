import { describe, expect, it } from 'vitest';
import { protectedCheck, promotionDecision, featureNames } from '../../../src/server/risk/card';
import { auc, deciles } from '../../../src/server/risk/metrics';
import { trainLogistic } from '../../../src/server/risk/train';
import { probability, reasonCodes, vectorOf, type RiskModel } from '../../../src/shared/risk/score';

/** docs/risk.md, "Reason codes" and "Promotion". */
const MODEL: RiskModel = {
  features: ['months_paid_6', 'dpd', 'rpc_30', 'promises_broken_180', 'product:auto'],
  means: [2, 40, 1, 0.5, 0.2],
  sds: [2, 20, 1, 0.5, 0.4],
  coefficients: [-0.5, 0.8, -0.6, 0.3, -0.4, 0.1],
};

describe('reason codes of a fixed model', () => {
  const row = { months_paid_6: 5, dpd: 20, rpc_30: 1, promises_broken_180: 2 };
  const x = vectorOf(MODEL, row, 'tarjeta');

  it('are the three largest contributions coef × (x − mean) / sd, with their direction and words', () => {
    // months: 0.8 × 1.5 = 1.2 up; dpd: −0.6 × −1 = 0.6 up; broken: −0.4 × 3 = −1.2 down; rpc: 0; product: 0.1 × −0.5 = −0.05
    expect(reasonCodes(MODEL, x, row, 'tarjeta')).toEqual([
      { feature: 'months_paid_6', direction: 'up', params: { count: 5, of: 6 } },
      { feature: 'promises_broken_180', direction: 'down', params: { count: 2 } },
      { feature: 'dpd', direction: 'up', params: { count: 20 } },
    ]);
    expect(probability(MODEL, x)).toBeCloseTo(1 / (1 + Math.exp(-(-0.5 + 1.2 + 0.6 + 0 - 1.2 - 0.05))), 12);
  });

  it('are the same on every call, ties broken by the catalogue order', () => {
    const tied: RiskModel = { ...MODEL, coefficients: [0, 1, -1, 1, 1, 0] };
    const r = { months_paid_6: 4, dpd: 20, rpc_30: 2, promises_broken_180: 1 };
    const first = reasonCodes(tied, vectorOf(tied, r, 'x'), r, 'x');
    expect(first.map((c) => c.feature)).toEqual(['months_paid_6', 'dpd', 'rpc_30']);
    for (let i = 0; i < 5; i++) expect(reasonCodes(tied, vectorOf(tied, r, 'x'), r, 'x')).toEqual(first);
  });

  it('name the product when its indicator moved the score', () => {
    const m: RiskModel = { ...MODEL, coefficients: [0, 0, 0, 0, 0, 2] };
    expect(reasonCodes(m, vectorOf(m, {}, 'auto'), {}, 'auto')[0]).toEqual({
      feature: 'product',
      direction: 'up',
      params: { product: 'auto' },
    });
  });
});

describe('the promotion rule', () => {
  const ok = { passed: true };
  it('promotes a first model only when it beats chance', () => {
    expect(promotionDecision(0.7, null, ok)).toEqual({ promote: true, why: 'first_model' });
    expect(promotionDecision(0.5, null, ok)).toEqual({ promote: false, why: 'no_better_than_chance' });
  });
  it('replaces the model in use only when it does better on the same hold-out', () => {
    expect(promotionDecision(0.74, 0.73, ok)).toEqual({ promote: true, why: 'beats_incumbent' });
    expect(promotionDecision(0.73, 0.73, ok)).toEqual({ promote: false, why: 'incumbent_better' });
    expect(promotionDecision(0.7, 0.73, ok)).toEqual({ promote: false, why: 'incumbent_better' });
  });
  it('never promotes a model that failed the protected-attribute check or could not be measured', () => {
    expect(promotionDecision(0.9, null, { passed: false })).toEqual({ promote: false, why: 'protected_attribute' });
    expect(promotionDecision(NaN, null, ok)).toEqual({ promote: false, why: 'holdout_single_class' });
  });
});

describe('the protected-attribute check', () => {
  it('passes the product features and the columns they read', () => {
    expect(protectedCheck(featureNames(['tarjeta', 'auto']))).toMatchObject({ passed: true, found: [] });
  });
  it('finds a protected word in a feature or product name, and any debtor column', () => {
    expect(protectedCheck(['dpd', 'edad_deudor', 'product:credito_mujer'], ['debtors.national_id', 'accounts.product']).found).toEqual([
      'edad_deudor',
      'product:credito_mujer',
      'debtors.national_id',
    ]);
  });
});

describe('trainer and metrics', () => {
  it('recovers the coefficients of a known logistic model', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const x: number[][] = [];
    const y: (0 | 1)[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = rnd() * 4 - 2;
      const b = rnd() * 10;
      x.push([a, b]);
      y.push(rnd() < 1 / (1 + Math.exp(-(0.5 + 1.5 * a - 0.2 * b))) ? 1 : 0);
    }
    const m = trainLogistic(['a', 'b'], x, y, { ridge: 0 });
    // back from the standardised scale: raw coefficient = coef / sd
    expect(m.coefficients[1]! / m.sds[0]!).toBeCloseTo(1.5, 0);
    expect(m.coefficients[2]! / m.sds[1]!).toBeCloseTo(-0.2, 1);
    expect(m.iterations).toBeLessThan(15);
  });
  it('AUC counts ties as half and deciles put the highest scores first', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    const d = deciles(
      [...Array(100).keys()].map((i) => i / 100),
      [...Array(100).keys()].map((i) => (i >= 90 ? 1 : 0)),
    );
    expect(d[0]).toMatchObject({ decile: 1, count: 10, observedRate: 1, lift: 10 });
    expect(d[9]).toMatchObject({ decile: 10, observedRate: 0 });
  });
});
