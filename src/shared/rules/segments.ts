import { z } from 'zod';
import { CountryCode, Segment } from '../domain/enums';

/**
 * Segmentation rules an admin edits (docs/contact-habits.md, "Segmentos"). An ordered list; the
 * first rule whose conditions ALL hold gives the debtor's segment; when none holds, the portfolio
 * file's `segmento` stays. Client and server read the same schema and the same evaluator.
 */
const NumericField = z.enum(['dpd', 'balanceUsd', 'promisesBroken', 'score']);
export type NumericField = z.infer<typeof NumericField>;

const Range = z
  .object({
    field: NumericField,
    min: z.number().finite().nullable().default(null),
    max: z.number().finite().nullable().default(null),
  })
  .superRefine((c, ctx) => {
    if (c.min === null && c.max === null) ctx.addIssue({ code: 'custom', path: ['min'], message: 'give a minimum, a maximum or both' });
    if (c.min !== null && c.max !== null && c.min > c.max)
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'the maximum must not be below the minimum' });
    if (c.field === 'score' && [c.min, c.max].some((v) => v !== null && (v < 0 || v > 1)))
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'a score band lies between 0 and 1' });
  });

const OneOf = z.discriminatedUnion('field', [
  z.object({ field: z.literal('product'), in: z.array(z.string().trim().min(1).max(100)).min(1).max(50) }),
  z.object({ field: z.literal('country'), in: z.array(CountryCode).min(1).max(50) }),
  z.object({ field: z.literal('fileSegment'), in: z.array(Segment).min(1) }),
]);

export const SegmentCondition = z.union([Range, OneOf]);
export type SegmentCondition = z.infer<typeof SegmentCondition>;

export const SegmentRule = z.object({
  name: z.string().trim().min(1, 'a name is required').max(80),
  segment: Segment,
  conditions: z.array(SegmentCondition).min(1, 'a rule needs at least one condition').max(20),
});
export type SegmentRule = z.infer<typeof SegmentRule>;

export const SegmentRules = z
  .array(SegmentRule)
  .max(50)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      const key = r.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'two rules have this name' });
      seen.add(key);
    });
  });
export type SegmentRules = z.infer<typeof SegmentRules>;

/** What a rule reads of a debtor (their worst account for DPD, their whole balance). */
export interface SegmentFeatures {
  dpd: number;
  balanceUsd: number;
  product: string;
  country: string;
  promisesBroken: number;
  /** The risk model's probability of payment, when its scores exist (account_scores); else null. */
  score: number | null;
  fileSegment: Segment;
}

export function conditionHolds(c: SegmentCondition, f: SegmentFeatures): boolean {
  if ('in' in c) {
    const v = c.field === 'product' ? f.product : c.field === 'country' ? f.country : f.fileSegment;
    return (c.in as readonly string[]).some((x) => x.toLowerCase() === v.toLowerCase());
  }
  const v = f[c.field];
  // a score band never holds without a score: the debtor falls to a later rule or the file's segment
  if (v === null) return false;
  return (c.min === null || v >= c.min) && (c.max === null || v <= c.max);
}

/** The first matching rule's segment and name, or the file's segment (rule null). */
export function evaluateSegment(rules: ReadonlyArray<SegmentRule>, f: SegmentFeatures): { segment: Segment; rule: string | null } {
  for (const r of rules) if (r.conditions.every((c) => conditionHolds(c, f))) return { segment: r.segment, rule: r.name };
  return { segment: f.fileSegment, rule: null };
}
