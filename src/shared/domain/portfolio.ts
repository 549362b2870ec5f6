import { z } from 'zod';
import { Channel, CountryCode, DebtorType, Segment } from './enums';
import { IsoDate } from './entities';
import { CurrencyCode, MinorAmount } from './money';

/**
 * One validated row of a portfolio ("cartera") file: a debtor, one of their accounts and their
 * contact points. The CSV parser (src/server/portfolio) turns spreadsheet text into this, or into
 * an error naming the row and field; the upsert writes only rows that passed.
 */
export const PortfolioRow = z.object({
  debtorExternalId: z.string().min(1),
  name: z.string().min(1),
  nationalId: z.string().min(1),
  country: CountryCode,
  timeZone: z.string().min(1),
  debtorType: DebtorType,
  segment: Segment,
  accountRef: z.string().min(1),
  product: z.string().min(1),
  currency: CurrencyCode,
  principalMinor: MinorAmount,
  balanceMinor: MinorAmount,
  dueDate: IsoDate.nullable(),
  installmentsTotal: z.number().int().nonnegative(),
  installmentsPaid: z.number().int().nonnegative(),
  installmentAmountMinor: MinorAmount.nullable(),
  /** E.164 */
  phones: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/)),
  emails: z.array(z.string().email()),
  whatsapp: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/)),
  address: z.string().nullable(),
  authorizedChannels: z.array(Channel),
  /** Username of the agent the account is assigned to; null leaves the assignment as it is. */
  assignedAgent: z.string().nullable(),
});
export type PortfolioRow = z.infer<typeof PortfolioRow>;

export const RowError = z.object({ row: z.number().int(), field: z.string(), message: z.string() });
export type RowError = z.infer<typeof RowError>;

export const ImportReport = z.object({
  rowsRead: z.number().int(),
  debtorsUpserted: z.number().int(),
  accountsUpserted: z.number().int(),
  contactPointsUpserted: z.number().int(),
  errors: z.array(RowError),
  /** Rows written, but worth a look: the same national id on two different debtors (field documento). */
  warnings: z.array(RowError).optional(),
  /** All errors, when there were more than the report lists (a large file lists its first 1,000). */
  errorCount: z.number().int().optional(),
  /** All warnings, when there were more than the report lists. */
  warningCount: z.number().int().optional(),
  /** The import run (who, when, progress): GET /api/v1/imports/:id. Absent where no run was recorded (demo seed). */
  importId: z.string().uuid().optional(),
});
export type ImportReport = z.infer<typeof ImportReport>;
