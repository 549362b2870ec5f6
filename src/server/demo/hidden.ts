import { createRng } from '../../shared/lib/rng';

/**
 * What the demo portfolio knows about each debtor and the product must LEARN (docs/contact-habits.md,
 * "Proving it learns"): nothing here is stored in the database or shown; the simulations draw
 * outcomes from it and the measurements compare what was learned against it. One place for every
 * hidden trait (contact-hour habits here; the risk model's propensity beside them), derived from
 * the debtor's external id and a seed with the shared seeded RNG, so any module asking about a
 * debtor gets the same answer without a table.
 */
export interface HiddenTraits {
  /** Probability that the debtor pays within the next 30 days. */
  propensity: number;
  /** The hours of the day (debtor's wall clock) the debtor picks up: [from, to), whole hours. */
  answerHours: [number, number];
  /** Weekdays (0 = Sunday) on which those hours hold; on others the debtor answers as off-hours. */
  answerDays: number[];
  /** Probability of a right-party contact inside the habit, and outside it. */
  answerIn: number;
  answerOut: number;
}

/** FNV-1a: a stable 32-bit number from the external id, to seed the debtor's own RNG. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const DAY_PATTERNS: number[][] = [
  [1, 2, 3, 4, 5], // any working day
  [2, 3, 4], // mid-week
  [1, 3, 5],
  [4, 5, 6], // end of the week and Saturday
];

export function hiddenTraits(debtorExternalId: string, seed = 1): HiddenTraits {
  const rng = createRng(hash(debtorExternalId) ^ Math.imul(seed, 0x9e3779b1));
  const from = 7 + Math.floor(rng() * 11); // 07:00 … 17:00
  const width = 2 + Math.floor(rng() * 2);
  // a skewed propensity: most debtors rarely pay, a few nearly always do
  const u = rng();
  return {
    propensity: Math.min(0.95, 0.03 + 0.7 * u * u),
    answerHours: [from, Math.min(22, from + width)],
    answerDays: DAY_PATTERNS[Math.floor(rng() * DAY_PATTERNS.length)]!,
    answerIn: 0.55 + rng() * 0.25,
    answerOut: 0.04 + rng() * 0.08,
  };
}

/** The debtor's chance of answering (a right-party contact) at an hour-of-week cell of their zone. */
export function answerChance(t: HiddenTraits, how: number): number {
  const day = Math.floor(how / 24);
  const hour = how % 24;
  return t.answerDays.includes(day) && hour >= t.answerHours[0] && hour < t.answerHours[1] ? t.answerIn : t.answerOut;
}
