import { z } from 'zod';
import { Account, Activity, ContactPoint, Debtor, Id, IsoInstant, Note, Payment, PaymentPromise, User } from '../domain/entities';
import { AccountStatus, Segment } from '../domain/enums';
import { CurrencyCode, MinorAmount } from '../domain/money';

/**
 * Bodies of the central server's REST API (/api/v1), shared by the server and its clients.
 * Push and pull live in src/shared/sync/protocol.ts; errors are ApiError there.
 */

export const LoginRequest = z.object({
  username: z.string().trim().min(1),
  password: z.string().min(1),
  /** The organisation's code; may be left out on an installation with one organisation. */
  organization: z.string().trim().max(63).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({ token: z.string(), user: User, expiresAt: IsoInstant });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const AccountListQuery = z.object({
  status: AccountStatus.optional(),
  segment: Segment.optional(),
  agentId: Id.optional(),
  /** Matches debtor name, national id or account reference. */
  search: z.string().trim().min(1).max(100).optional(),
  /** Keyset paging: the last account id of the previous page. */
  after: Id.optional(),
  limit: z.coerce.number().int().positive().max(500).default(50),
});
export type AccountListQuery = z.input<typeof AccountListQuery>;

export const AccountListItem = Account.extend({
  debtorName: z.string(),
  nationalId: z.string(),
  timeZone: z.string(),
  segment: Segment,
});
export const AccountListPage = z.object({
  items: z.array(AccountListItem),
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: Id.nullable(),
  total: z.number().int().nonnegative(),
});
export type AccountListPage = z.infer<typeof AccountListPage>;

export const AccountBundle = z.object({
  account: Account,
  debtor: Debtor,
  contactPoints: z.array(ContactPoint),
  activities: z.array(Activity),
  notes: z.array(Note),
  payments: z.array(Payment),
  promises: z.array(PaymentPromise),
});
export type AccountBundle = z.infer<typeof AccountBundle>;

export const AssignRequest = z.object({ agentId: Id.nullable() });

export const UserListItem = User.extend({ sipExtension: z.string().nullable() });
export const UserList = z.object({ users: z.array(UserListItem) });

export const PaymentInput = z.object({
  accountId: Id,
  reference: z.string().trim().min(1).max(200),
  amountMinor: MinorAmount.positive(),
  currency: CurrencyCode,
  paidAt: IsoInstant,
});
export type PaymentInput = z.infer<typeof PaymentInput>;

export const PaymentResult = z.object({ payment: Payment, created: z.boolean() });

/**
 * The team lead's hardship list (GET /api/v1/accounts/hardship): accounts in hardship and agents'
 * pending claims (the hardship_claimed outcome) on the lead's team's accounts.
 */
export const HardshipItem = z.object({
  accountId: Id,
  externalRef: z.string(),
  debtorName: z.string(),
  status: AccountStatus,
  assignedAgentId: Id.nullable(),
  /** The latest claim not yet answered by a decision; null when none is pending. */
  claim: z.object({ at: IsoInstant, agentId: Id, agentName: z.string(), note: z.string().nullable() }).nullable(),
});
export type HardshipItem = z.infer<typeof HardshipItem>;

export const HardshipDecision = z.strictObject({
  hardship: z.boolean(),
  reason: z.string().trim().min(1, 'say why').max(1000),
});
