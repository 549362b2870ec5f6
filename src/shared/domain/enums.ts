import { z } from 'zod';

export const Role = z.enum(['agent', 'team_lead', 'admin']);
export type Role = z.infer<typeof Role>;

/** Every way the organisation can reach a debtor, and the contact point kinds: one list, in channels.ts. */
export { Channel, ContactKind } from './channels';

/** ISO 3166-1 alpha-2. CO, MX, PE, CL and US have compliance profiles; others use the default. */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code');
export type CountryCode = z.infer<typeof CountryCode>;

/** Risk segment, from the scoring model or the portfolio file. */
export const Segment = z.enum(['low', 'medium', 'high']);
export type Segment = z.infer<typeof Segment>;

export const DebtorType = z.enum(['individual', 'company']);
export type DebtorType = z.infer<typeof DebtorType>;

/**
 * Collection status of an account. Everything but `active` and `closed` stops or restricts
 * contact (see the compliance rules).
 */
export const AccountStatus = z.enum(['active', 'dispute', 'hardship', 'do_not_contact', 'deceased', 'bankrupt', 'closed']);
export type AccountStatus = z.infer<typeof AccountStatus>;

/** Disposition codes ("tipificaciones") an agent picks after every contact attempt. */
export const Disposition = z.enum([
  'rpc', // contacto efectivo con el titular
  'third_party', // contacto con tercero
  'no_answer',
  'busy',
  'voicemail',
  'wrong_number',
  'refused',
  'dispute',
  'promise_to_pay',
  'callback_requested',
  'deceased',
  'bankrupt',
  'do_not_contact',
  'message_sent', // SMS / email / WhatsApp sent from a template
  'hardship_claimed', // the debtor reports hardship: asks the team lead to set it (src/shared/rules/account-status.ts)
]);
export type Disposition = z.infer<typeof Disposition>;

/** Dispositions that mean the agent spoke to the debtor (right-party contact). */
export const RIGHT_PARTY_DISPOSITIONS: ReadonlySet<Disposition> = new Set([
  'rpc',
  'refused',
  'dispute',
  'promise_to_pay',
  'callback_requested',
  'hardship_claimed',
]);

/** Account status an outcome implies, when it implies one. */
export const STATUS_FROM_DISPOSITION: Partial<Record<Disposition, AccountStatus>> = {
  dispute: 'dispute',
  deceased: 'deceased',
  bankrupt: 'bankrupt',
  do_not_contact: 'do_not_contact',
};

export const PromiseStatus = z.enum(['pending', 'kept', 'partially_kept', 'broken', 'cancelled']);
export type PromiseStatus = z.infer<typeof PromiseStatus>;

/** Days-past-due buckets ("tramos de mora"). */
export const DPD_BUCKETS = [
  { id: 'current', min: Number.NEGATIVE_INFINITY, max: 0 },
  { id: '1-30', min: 1, max: 30 },
  { id: '31-60', min: 31, max: 60 },
  { id: '61-90', min: 61, max: 90 },
  { id: '91-120', min: 91, max: 120 },
  { id: '121-180', min: 121, max: 180 },
  { id: '180+', min: 181, max: Number.POSITIVE_INFINITY },
] as const;
export const DpdBucket = z.enum(['current', '1-30', '31-60', '61-90', '91-120', '121-180', '180+']);
export type DpdBucket = z.infer<typeof DpdBucket>;

export function dpdBucket(dpd: number): DpdBucket {
  for (const b of DPD_BUCKETS) if (dpd >= b.min && dpd <= b.max) return b.id;
  return '180+';
}
