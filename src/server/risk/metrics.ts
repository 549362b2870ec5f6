import type { DecileRow } from '../../shared/risk/card';

/**
 * How good a score is on rows it was not trained on: AUC (the probability that a random positive
 * scores above a random negative, ties counting half) and, by decile of score, the mean predicted
 * probability beside the observed rate (calibration) and the observed rate over the overall rate
 * (lift). Decile 1 holds the highest scores.
 */
export function auc(scores: readonly number[], labels: readonly (0 | 1 | boolean)[]): number {
  const idx = scores.map((s, i) => ({ s, y: labels[i] ? 1 : 0 })).sort((a, b) => a.s - b.s);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  // average ranks over ties (Mann–Whitney U)
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && idx[j]!.s === idx[i]!.s) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) {
      if (idx[t]!.y) {
        pos++;
        rankSum += avgRank;
      } else neg++;
    }
    i = j;
  }
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function deciles(scores: readonly number[], labels: readonly (0 | 1 | boolean)[]): DecileRow[] {
  const rows = scores.map((s, i) => ({ s, y: labels[i] ? 1 : 0 })).sort((a, b) => b.s - a.s);
  const overall = rows.reduce((t, r) => t + r.y, 0) / Math.max(1, rows.length);
  const out: DecileRow[] = [];
  for (let d = 0; d < 10; d++) {
    const part = rows.slice(Math.floor((d * rows.length) / 10), Math.floor(((d + 1) * rows.length) / 10));
    if (part.length === 0) continue;
    const observedRate = part.reduce((t, r) => t + r.y, 0) / part.length;
    out.push({
      decile: d + 1,
      count: part.length,
      meanPredicted: part.reduce((t, r) => t + r.s, 0) / part.length,
      observedRate,
      lift: overall > 0 ? observedRate / overall : 0,
    });
  }
  return out;
}
