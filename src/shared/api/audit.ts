import { z } from 'zod';
import { Id, IsoInstant } from '../domain/entities';

/** Changes to an organisation's rules and to an account's hardship, kept in org_audit (0013). */
export const OrgAuditAction = z.enum([
  'collections.policies',
  'account.hardship_set',
  'account.hardship_lifted',
  // the debtor refused a channel by replying "BAJA", "STOP" … (no actor: the debtor did it)
  'debtor.channel_refused',
  // an administrator set the organisation's payment gateway account (secrets never recorded)
  'org.payment_gateway_set',
  // an administrator replaced the segmentation rules (src/shared/rules/segments.ts)
  'segments.rules',
  // the live board's alert thresholds (docs/live-board.md)
  'live.settings',
  // the debtor took it back by replying "ALTA", "START" … (no actor: the debtor did it)
  'debtor.channel_reauthorized',
  // an admin changed the price per contact used for cost per peso collected
  'strategies.contact_costs',
  // an admin changed the provider accounts / reply mailbox (secrets recorded only as changed)
  'messaging.config',
  // the self-service page's settings, and a link ended by an agent or lead (docs/self-service.md)
  'org.portal',
  'debtor.portal_link_revoked',
]);
export type OrgAuditAction = z.infer<typeof OrgAuditAction>;

export const OrgAuditEntry = z.object({
  seq: z.number().int(),
  actorId: Id.nullable(),
  actorUsername: z.string().nullable(),
  action: OrgAuditAction,
  accountId: Id.nullable(),
  before: z.unknown(),
  after: z.unknown(),
  at: IsoInstant,
});
export type OrgAuditEntry = z.infer<typeof OrgAuditEntry>;

/**
 * The audit trail of one account (GET /api/v1/accounts/:id/trail): every reassignment and every
 * payment with who did it (user and username; null with via 'cli' for the server's command line
 * and via 'gateway' for a payment gateway's notification; both null before authors were recorded)
 * and the import run it came in, if any.
 */
const Via = z.enum(['api', 'cli', 'gateway', 'sync']).nullable();
const Who = z.object({ userId: z.string().uuid().nullable(), username: z.string().nullable(), via: Via });

export const AccountTrail = z.object({
  assignments: z.array(
    z.object({
      at: z.string(),
      fromAgentId: z.string().uuid().nullable(),
      toAgentId: z.string().uuid().nullable(),
      by: Who,
      importId: z.string().uuid().nullable(),
    }),
  ),
  payments: z.array(
    z.object({
      reference: z.string(),
      amountMinor: z.number().int(),
      currency: z.string(),
      paidAt: z.string(),
      recordedAt: z.string(),
      recordedBy: Who,
      reversedAt: z.string().nullable(),
      reversedBy: Who.nullable(),
      importId: z.string().uuid().nullable(),
    }),
  ),
});
export type AccountTrail = z.infer<typeof AccountTrail>;
