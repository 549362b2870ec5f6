import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { RiskModel } from '../../shared/risk/score';

/**
 * Logistic regression by iteratively reweighted least squares (the Newton method R's glm uses),
 * with the linear algebra from ml-matrix (mljs). Why not mljs's ml-logistic-regression: it fits
 * by plain gradient descent with a fixed step and step count and no convergence test, so its
 * coefficients depend on the scale of the data and stop wherever the count runs out; IRLS
 * converges in a handful of iterations to the maximum-likelihood fit that R's glm finds, which is
 * what the independent check (tests/integration/risk/r-glm.test.ts) compares against.
 *
 * Features are standardised (mean 0, sd 1) before fitting, so coefficients are comparable and
 * reason codes weigh features fairly. A tiny ridge keeps the normal equations solvable when a
 * feature is constant or separates the classes (it barely moves a well-posed fit).
 */
export interface TrainOptions {
  maxIterations?: number;
  tolerance?: number;
  /** L2 penalty on the standardised coefficients (not the intercept). */
  ridge?: number;
}

export function standardise(x: readonly (readonly number[])[], p: number): { means: number[]; sds: number[] } {
  const n = x.length;
  const means = new Array<number>(p).fill(0);
  const sds = new Array<number>(p).fill(0);
  for (const row of x) for (let j = 0; j < p; j++) means[j]! += row[j]! / n;
  for (const row of x) for (let j = 0; j < p; j++) sds[j]! += (row[j]! - means[j]!) ** 2 / Math.max(1, n - 1);
  for (let j = 0; j < p; j++) sds[j] = Math.sqrt(sds[j]!) || 1;
  return { means, sds };
}

export function trainLogistic(
  features: readonly string[],
  x: readonly (readonly number[])[],
  y: readonly (0 | 1)[],
  opts: TrainOptions = {},
): RiskModel & { iterations: number } {
  const n = x.length;
  const p = features.length;
  if (n === 0) throw new Error('no rows to train on');
  const { means, sds } = standardise(x, p);
  const k = p + 1;
  // design matrix with the intercept column, standardised, as flat Float64Array rows for speed
  const z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    z[i * k] = 1;
    for (let j = 0; j < p; j++) z[i * k + j + 1] = (x[i]![j]! - means[j]!) / sds[j]!;
  }
  const ridge = opts.ridge ?? 1e-6;
  const beta = new Array<number>(k).fill(0);
  const maxIt = opts.maxIterations ?? 30;
  const tol = opts.tolerance ?? 1e-8;
  let iterations = 0;
  for (; iterations < maxIt; iterations++) {
    // X'WX and X'(y - mu), accumulated row by row (n can be a million: no n×n weight matrix)
    const h = new Float64Array(k * k);
    const g = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const off = i * k;
      let eta = 0;
      for (let j = 0; j < k; j++) eta += z[off + j]! * beta[j]!;
      const mu = eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
      const w = Math.max(mu * (1 - mu), 1e-10);
      const r = y[i]! - mu;
      for (let a = 0; a < k; a++) {
        const za = z[off + a]!;
        g[a]! += za * r;
        const wa = w * za;
        for (let b = a; b < k; b++) h[a * k + b]! += wa * z[off + b]!;
      }
    }
    const H = new Matrix(k, k);
    for (let a = 0; a < k; a++)
      for (let b = a; b < k; b++) {
        H.set(a, b, h[a * k + b]!);
        H.set(b, a, h[a * k + b]!);
      }
    for (let a = 1; a < k; a++) {
      H.set(a, a, H.get(a, a) + ridge * n);
      g[a]! -= ridge * n * beta[a]!;
    }
    const step = new CholeskyDecomposition(H).solve(Matrix.columnVector(Array.from(g)));
    let change = 0;
    for (let a = 0; a < k; a++) {
      const d = step.get(a, 0);
      beta[a]! += d;
      change = Math.max(change, Math.abs(d));
    }
    if (!Number.isFinite(change)) throw new Error('the fit diverged');
    if (change < tol) {
      iterations++;
      break;
    }
  }
  return { features: [...features], means, sds, coefficients: beta, iterations };
}
