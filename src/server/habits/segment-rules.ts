import { SegmentRules, evaluateSegment, type SegmentRule } from '../../shared/rules/segments';
import type { Segment } from '../../shared/domain/enums';
import { recordOrgAudit } from '../audit/org-audit';
import type { Db } from '../db';

export interface SegmentRulesState {
  rules: SegmentRule[];
  revision: number;
  updatedAt: string | null;
}

/** The organisation's rules; none set: an empty list (every debtor keeps the file's segment). */
export async function loadSegmentRules(db: Db, orgId: string): Promise<SegmentRulesState> {
  const [r] = await db.query<{ rules: unknown; revision: number; updatedAt: Date }>(
    `SELECT rules, revision, updated_at AS "updatedAt" FROM segment_rules WHERE org_id = $1`,
    [orgId],
  );
  if (!r) return { rules: [], revision: 0, updatedAt: null };
  // stored rules were validated when written; parse fills defaults added to the schema since
  return { rules: SegmentRules.parse(r.rules), revision: r.revision, updatedAt: r.updatedAt.toISOString() };
}

/** An administrator replaces the list; before and after are audited in the same transaction. */
export async function replaceSegmentRules(db: Db, actor: { id: string; orgId: string }, rules: SegmentRule[]): Promise<SegmentRulesState> {
  return db.transaction(async (tx) => {
    // the row lock orders two administrators saving at once, so each audit row's `before` is true
    await tx.query(`INSERT INTO segment_rules (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING`, [actor.orgId]);
    const [before] = await tx.query<{ rules: unknown }>(`SELECT rules FROM segment_rules WHERE org_id = $1 FOR UPDATE`, [actor.orgId]);
    await tx.query(
      `UPDATE segment_rules SET rules = $2::jsonb, revision = revision + 1, updated_by = $3, updated_at = now() WHERE org_id = $1`,
      [actor.orgId, JSON.stringify(rules), actor.id],
    );
    await recordOrgAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.id,
      action: 'segments.rules',
      before: before?.rules ?? [],
      after: rules,
    });
    return loadSegmentRules(tx, actor.orgId);
  });
}

export interface SegmentPreview {
  debtors: number;
  bySegment: Record<Segment, number>;
  /** Debtors each rule takes (a debtor counts for the first rule that matches only). */
  byRule: Array<{ name: string; debtors: number }>;
  /** Debtors no rule matched: they keep the file's segment. */
  unmatched: number;
}

/** What a list of rules would do to today's portfolio, without saving it. */
export function previewSegments(rules: ReadonlyArray<SegmentRule>, features: Parameters<typeof evaluateSegment>[1][]): SegmentPreview {
  const bySegment: Record<Segment, number> = { low: 0, medium: 0, high: 0 };
  const byRule = new Map(rules.map((r) => [r.name, 0]));
  let unmatched = 0;
  for (const f of features) {
    const s = evaluateSegment(rules, f);
    bySegment[s.segment]++;
    if (s.rule === null) unmatched++;
    else byRule.set(s.rule, (byRule.get(s.rule) ?? 0) + 1);
  }
  return { debtors: features.length, bySegment, byRule: [...byRule].map(([name, debtors]) => ({ name, debtors })), unmatched };
}
