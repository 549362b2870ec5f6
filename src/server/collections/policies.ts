import { CollectionPolicies } from '../../shared/domain/collections';
import { recordOrgAudit } from '../audit/org-audit';
import type { Db } from '../db';

/**
 * The organisation's collection policies live in organizations.settings (promisePolicies,
 * negotiationPolicy), validated with the shared zod schemas on every read so a malformed setting
 * fails loudly instead of letting promises through unchecked.
 */
export async function loadPolicies(db: Db, orgId: string): Promise<CollectionPolicies> {
  const [org] = await db.query<{ promisePolicies: unknown; negotiationPolicy: unknown }>(
    `SELECT settings -> 'promisePolicies' AS "promisePolicies", settings -> 'negotiationPolicy' AS "negotiationPolicy"
     FROM organizations WHERE id = $1`,
    [orgId],
  );
  const parsed = CollectionPolicies.safeParse({
    promisePolicies: org?.promisePolicies ?? [],
    negotiationPolicy: org?.negotiationPolicy ?? null,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`organisation ${orgId}: settings.${issue?.path.join('.') ?? ''} is malformed: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/**
 * An administrator replaces the policies: the old and new values are audited in the same
 * transaction. The body was parsed with CollectionPoliciesReplacement (strict, nothing defaulted).
 */
export async function replacePolicies(db: Db, actor: { id: string; orgId: string }, next: CollectionPolicies): Promise<CollectionPolicies> {
  return db.transaction(async (tx) => {
    // the row lock orders two administrators saving at once, so each audit row's `before` is true
    const [row] = await tx.query<{ promisePolicies: unknown; negotiationPolicy: unknown }>(
      `SELECT settings -> 'promisePolicies' AS "promisePolicies", settings -> 'negotiationPolicy' AS "negotiationPolicy"
       FROM organizations WHERE id = $1 FOR UPDATE`,
      [actor.orgId],
    );
    await savePolicies(tx, actor.orgId, next);
    const after = await loadPolicies(tx, actor.orgId);
    await recordOrgAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.id,
      action: 'collections.policies',
      before: { promisePolicies: row?.promisePolicies ?? null, negotiationPolicy: row?.negotiationPolicy ?? null },
      after,
    });
    return after;
  });
}

/** Writes the organisation's policies (the demo seed; the API goes through replacePolicies). */
export async function savePolicies(db: Db, orgId: string, policies: CollectionPolicies): Promise<void> {
  const p = CollectionPolicies.parse(policies);
  await db.query(
    `UPDATE organizations SET settings = settings || jsonb_build_object('promisePolicies', $2::jsonb, 'negotiationPolicy', $3::jsonb)
     WHERE id = $1`,
    [orgId, JSON.stringify(p.promisePolicies), JSON.stringify(p.negotiationPolicy)],
  );
}

/** Realistic demo values for a Colombian lender (pesos have no minor unit). */
export const DEMO_POLICIES: CollectionPolicies = CollectionPolicies.parse({
  promisePolicies: [
    {
      product: null,
      minAmountMinor: 50_000,
      minPercentOfBalance: 5,
      maxDaysToFirstPayment: 30,
      maxInstallments: 24,
      minLaterPaymentMinor: 20_000,
      graceDays: 3,
      keptThresholdPercent: 95,
    },
    {
      product: 'Tarjeta de crédito',
      minAmountMinor: 30_000,
      minPercentOfBalance: 5,
      maxDaysToFirstPayment: 15,
      maxInstallments: 24,
      minLaterPaymentMinor: 20_000,
      graceDays: 2,
      keptThresholdPercent: 95,
    },
  ],
  negotiationPolicy: {
    rules: [
      {
        product: null,
        bucket: null,
        settlement: {
          maxDiscountPrincipalPct: 10,
          maxDiscountInterestPct: 60,
          maxDiscountFeesPct: 100,
          agentDiscountPrincipalPct: 0,
          agentDiscountInterestPct: 30,
          agentDiscountFeesPct: 100,
        },
        plan: {
          maxInstallments: 24,
          agentMaxInstallments: 6,
          minDownPaymentPct: 5,
          agentMinDownPaymentPct: 10,
          monthlyInterestPct: 0,
          roundingUnitMinor: 100,
        },
      },
      {
        product: null,
        bucket: '180+',
        settlement: {
          maxDiscountPrincipalPct: 40,
          maxDiscountInterestPct: 100,
          maxDiscountFeesPct: 100,
          agentDiscountPrincipalPct: 15,
          agentDiscountInterestPct: 70,
          agentDiscountFeesPct: 100,
        },
        plan: {
          maxInstallments: 24,
          agentMaxInstallments: 12,
          minDownPaymentPct: 0,
          agentMinDownPaymentPct: 5,
          monthlyInterestPct: 0,
          roundingUnitMinor: 100,
        },
      },
    ],
  },
});
