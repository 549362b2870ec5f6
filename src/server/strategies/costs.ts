import {
  DEFAULT_CALL_TASK_MINUTES,
  DEFAULT_CONTACT_COSTS,
  type ContactCost,
  type ContactCostsInput,
  type ContactCostsView,
} from '../../shared/domain/contact-costs';
import { CurrencyCode } from '../../shared/domain/money';
import { StepAction } from '../../shared/domain/strategy';
import { recordOrgAudit } from '../audit/org-audit';
import type { Db } from '../db';

/** The organisation's own prices per contact (rows it set) and its call task's minutes. */
export async function contactCosts(db: Db, orgId: string): Promise<{ costs: ContactCost[]; callTaskMinutes: number; ownMinutes: boolean }> {
  const costs = await db.query<{ currency: CurrencyCode; action: StepAction; unitCostMinor: string }>(
    `SELECT currency, action, unit_cost_minor::text AS "unitCostMinor" FROM org_contact_costs WHERE org_id = $1 ORDER BY currency, action`,
    [orgId],
  );
  const [s] = await db.query<{ minutes: string }>(
    `SELECT call_task_minutes::text AS minutes FROM org_strategy_settings WHERE org_id = $1`,
    [orgId],
  );
  return {
    costs: costs.map((c) => ({ ...c, unitCostMinor: Number(c.unitCostMinor) })),
    callTaskMinutes: s ? Number(s.minutes) : DEFAULT_CALL_TASK_MINUTES,
    ownMinutes: !!s,
  };
}

/** Every currency × channel with the price in force, saying which are still the defaults. */
export async function contactCostsView(db: Db, orgId: string): Promise<ContactCostsView> {
  const own = await contactCosts(db, orgId);
  const costs = CurrencyCode.options.flatMap((currency) =>
    StepAction.options.map((action) => {
      const mine = own.costs.find((c) => c.currency === currency && c.action === action);
      return { currency, action, unitCostMinor: mine?.unitCostMinor ?? DEFAULT_CONTACT_COSTS[currency][action], isDefault: !mine };
    }),
  );
  return { costs, callTaskMinutes: own.callTaskMinutes, callTaskMinutesIsDefault: !own.ownMinutes };
}

/**
 * Replaces the organisation's prices: the rows given are its own, the rest go back to the
 * defaults. Audited with before and after in the same transaction.
 */
export async function saveContactCosts(db: Db, orgId: string, userId: string, input: ContactCostsInput): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await contactCosts(tx, orgId);
    await tx.query(`DELETE FROM org_contact_costs WHERE org_id = $1`, [orgId]);
    for (const c of input.costs)
      await tx.query(`INSERT INTO org_contact_costs (org_id, currency, action, unit_cost_minor, updated_by) VALUES ($1, $2, $3, $4, $5)`, [
        orgId,
        c.currency,
        c.action,
        c.unitCostMinor,
        userId,
      ]);
    await tx.query(
      `INSERT INTO org_strategy_settings (org_id, call_task_minutes, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (org_id) DO UPDATE SET call_task_minutes = $2, updated_by = $3, updated_at = now()`,
      [orgId, input.callTaskMinutes, userId],
    );
    await recordOrgAudit(tx, {
      orgId,
      actorId: userId,
      action: 'strategies.contact_costs',
      before: { costs: before.costs, callTaskMinutes: before.callTaskMinutes },
      after: { costs: input.costs, callTaskMinutes: input.callTaskMinutes },
    });
  });
}
