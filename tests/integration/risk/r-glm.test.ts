import { describe, expect, it } from 'vitest';
import { runCreditCheck } from '../../helpers/r-credit';

/**
 * docs/risk.md, "Independent check": our logistic trainer lands within 0.01 AUC of R's glm on the
 * same five folds of credit_data (Rscript and r-cran-modeldata are installed by .ci/run).
 */
describe('the risk trainer against R glm on credit_data', () => {
  it('matches R fold by fold within 0.01 AUC', () => {
    const r = runCreditCheck();
    console.log(`credit_data ${r.rows} rows, ${r.features} features: R glm AUC ${r.rMean.toFixed(4)}, ours ${r.ourMean.toFixed(4)}`);
    expect(r.rows).toBeGreaterThan(4000);
    expect(r.rAucs).toHaveLength(5);
    // a real model, not a coin
    expect(r.rMean).toBeGreaterThan(0.75);
    expect(Math.abs(r.ourMean - r.rMean)).toBeLessThan(0.01);
    for (let k = 0; k < 5; k++) expect(Math.abs(r.ourAucs[k]! - r.rAucs[k]!), `fold ${k + 1}`).toBeLessThan(0.01);
  }, 60_000);
});
