import { z } from 'zod';
import { CurrencyCode } from './money';
import { StepAction } from './strategy';

/**
 * What one contact costs the organisation, per channel and per currency (minor units of that
 * currency; a call task per minute of agent time). Costs are never converted: an SMS to a
 * Colombian debtor is priced in COP, so "cost per peso collected" compares COP with COP.
 *
 * Defaults (used until an admin sets the organisation's own prices; docs/strategies.md): list
 * prices of late 2026 rounded — Twilio SMS to a Latin-American mobile ≈ USD 0.05, a WhatsApp
 * utility template ≈ USD 0.008–0.02, an e-mail through a relay ≈ USD 0.0005, a printed and posted
 * letter ≈ USD 1.20, an agent minute ≈ USD 0.08 — in each currency at round rates (COP 4,000,
 * CLP 950, MXN 18, PEN 3.7 per USD). A hand-over costs nothing per contact (the agency is paid
 * a commission on what it collects, outside this measure).
 */
export const DEFAULT_CONTACT_COSTS: Record<CurrencyCode, Record<StepAction, number>> = {
  // minor units (src/shared/domain/money.ts): COP and CLP are counted in whole pesos, MXN, PEN and USD in cents
  COP: { email: 2, sms: 200, whatsapp: 60, letter: 4_800, call_task: 320, handover: 0 },
  CLP: { email: 0.5, sms: 48, whatsapp: 15, letter: 1_140, call_task: 76, handover: 0 },
  MXN: { email: 1, sms: 90, whatsapp: 27, letter: 2_160, call_task: 144, handover: 0 },
  PEN: { email: 0.2, sms: 19, whatsapp: 6, letter: 444, call_task: 30, handover: 0 },
  USD: { email: 0.05, sms: 5, whatsapp: 1.5, letter: 120, call_task: 8, handover: 0 },
};

/** Minutes of agent time a call task is priced at (the task itself, not the call's measured length). */
export const DEFAULT_CALL_TASK_MINUTES = 4;

const Cost = z.number().min(0).max(1e10);

export const ContactCost = z
  .object({
    currency: CurrencyCode,
    action: StepAction,
    /** Per contact (per minute for call_task), minor units of the currency. */
    unitCostMinor: Cost,
  })
  .strict();
export type ContactCost = z.infer<typeof ContactCost>;

/** What an admin sends: the prices they set (others keep the defaults) and the call task's minutes. */
export const ContactCostsInput = z
  .object({
    costs: z.array(ContactCost).max(CurrencyCode.options.length * StepAction.options.length),
    callTaskMinutes: z.number().min(0).max(240),
  })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.costs.forEach((c, i) => {
      const k = `${c.currency}:${c.action}`;
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: ['costs', i, 'action'], message: `${k} given twice` });
      seen.add(k);
    });
  });
export type ContactCostsInput = z.infer<typeof ContactCostsInput>;

/** Every currency × channel with the price in force and whether it is the default. */
export const ContactCostsView = z.object({
  costs: z.array(ContactCost.extend({ isDefault: z.boolean() })),
  callTaskMinutes: z.number(),
  callTaskMinutesIsDefault: z.boolean(),
});
export type ContactCostsView = z.infer<typeof ContactCostsView>;

/** The price in force for one currency and channel: the organisation's, else the default. */
export function unitCost(own: readonly ContactCost[], currency: CurrencyCode, action: StepAction): number {
  return own.find((c) => c.currency === currency && c.action === action)?.unitCostMinor ?? DEFAULT_CONTACT_COSTS[currency][action];
}

/** What one contact of this action costs in minor units (a call task is minutes × price per minute). */
export function contactCost(own: readonly ContactCost[], callTaskMinutes: number, currency: CurrencyCode, action: StepAction): number {
  const unit = unitCost(own, currency, action);
  return action === 'call_task' ? unit * callTaskMinutes : unit;
}
