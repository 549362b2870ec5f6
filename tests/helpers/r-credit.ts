import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auc } from '../../src/server/risk/metrics';
import { trainLogistic } from '../../src/server/risk/train';
import { probability } from '../../src/shared/risk/score';

const SCRIPT = fileURLToPath(new URL('../integration/risk/credit-glm.R', import.meta.url));

export interface CreditCheck {
  rows: number;
  features: number;
  rAucs: number[];
  ourAucs: number[];
  rMean: number;
  ourMean: number;
}

/**
 * The trainer against an implementation no one here wrote: R's glm on modeldata's credit_data
 * (Debian r-cran-modeldata), on the same five folds, in one run. R exports the design it used
 * (NA rows dropped, factors one-hot by its treatment contrasts, each row's fold) and its
 * out-of-fold AUCs; our trainer fits the same rows and is scored the same way.
 */
export function runCreditCheck(): CreditCheck {
  const dir = mkdtempSync(join(tmpdir(), 'risk-r-'));
  try {
    execFileSync('Rscript', [SCRIPT, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const [head, ...lines] = readFileSync(join(dir, 'credit.csv'), 'utf8').trim().split('\n');
    const names = head!.split(',').map((h) => h.replace(/"/g, ''));
    const rows = lines.map((l) => l.split(',').map(Number));
    const features = names.slice(2);
    const rAucs = readFileSync(join(dir, 'r-aucs.txt'), 'utf8').trim().split('\n').map(Number);
    const ourAucs: number[] = [];
    for (let k = 1; k <= 5; k++) {
      const train = rows.filter((r) => r[1] !== k);
      const test = rows.filter((r) => r[1] === k);
      const model = trainLogistic(
        features,
        train.map((r) => r.slice(2)),
        train.map((r) => (r[0] === 1 ? 1 : 0)),
        { ridge: 0 },
      );
      ourAucs.push(
        auc(
          test.map((r) => probability(model, r.slice(2))),
          test.map((r) => (r[0] === 1 ? 1 : 0)),
        ),
      );
    }
    const mean = (a: number[]) => a.reduce((t, v) => t + v, 0) / a.length;
    return { rows: rows.length, features: features.length, rAucs, ourAucs, rMean: mean(rAucs), ourMean: mean(ourAucs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
