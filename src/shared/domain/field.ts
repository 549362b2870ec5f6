import { z } from 'zod';
import { Id, IsoDate, IsoInstant } from './entities';
import { CurrencyCode, MinorAmount } from './money';

/** Field collection: receipts, the blocks of numbers behind them, and the cash they bring in (docs/field-collection.md). */
export const ReceiptMethod = z.enum(['cash', 'transfer']);
export type ReceiptMethod = z.infer<typeof ReceiptMethod>;

export const ReceiptIssueArgs = z.object({
  /** The receipt's id (client-generated); the payment's reference is derived from its number. */
  id: Id,
  number: z.number().int().positive(),
  blockId: Id,
  accountId: Id,
  method: ReceiptMethod,
  /** The bank's reference of a transfer the debtor shows. */
  transferReference: z.string().trim().min(1).max(100).nullable().default(null),
  amountMinor: MinorAmount.positive(),
  currency: CurrencyCode,
  issuedAt: IsoInstant,
  /** The day printed on the receipt, in the debtor's zone: the day the cash is counted in. */
  day: IsoDate,
  /** The printed verification code (HMAC of the receipt's figures with the block's key). */
  code: z.string().regex(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/),
});
export type ReceiptIssueArgs = z.infer<typeof ReceiptIssueArgs>;

export const ReceiptVoidArgs = z.object({
  receiptId: Id,
  reason: z.string().trim().min(1).max(500),
  voidedAt: IsoInstant,
});
export type ReceiptVoidArgs = z.infer<typeof ReceiptVoidArgs>;

/** A device asks for numbers: who it is, the generation it last got, what it has issued. */
export const ReceiptBlocksRequest = z.object({
  clientId: Id,
  /** 0 for a device that never got a block. */
  generation: z.number().int().nonnegative(),
  /** The last number the device issued (0: none). */
  hwm: z.number().int().nonnegative(),
  /** Numbers the device still holds above hwm: the server tops them up to two blocks' worth. */
  left: z.number().int().nonnegative(),
});
export type ReceiptBlocksRequest = z.infer<typeof ReceiptBlocksRequest>;

export const ReceiptBlock = z.object({
  id: Id,
  first: z.number().int().positive(),
  last: z.number().int().positive(),
  /** Base64 HMAC key of the block's verification codes. */
  key: z.string().min(1),
});
export type ReceiptBlock = z.infer<typeof ReceiptBlock>;

/** The organisation as its receipts name it (settings.taxId and settings.address when the admin set them). */
export const ReceiptIssuer = z.object({
  name: z.string(),
  country: z.string(),
  taxId: z.string().nullable(),
  address: z.string().nullable(),
});
export type ReceiptIssuer = z.infer<typeof ReceiptIssuer>;

export const ReceiptBlocksResponse = z.object({
  issuer: ReceiptIssuer,
  generation: z.number().int().positive(),
  blocks: z.array(ReceiptBlock),
  /**
   * The device presented an older generation than the server gave it: its store is an old copy.
   * Every block it held is retired; it must drop them and use only `blocks`.
   */
  restored: z.boolean(),
});
export type ReceiptBlocksResponse = z.infer<typeof ReceiptBlocksResponse>;

export const CashReceiptView = z.object({
  id: Id,
  number: z.number().int(),
  collectorId: Id,
  collectorName: z.string(),
  accountId: Id,
  debtorName: z.string(),
  method: ReceiptMethod,
  amountMinor: MinorAmount,
  currency: CurrencyCode,
  issuedAt: IsoInstant,
  day: IsoDate,
  code: z.string(),
  codeValid: z.boolean(),
  duplicateNumber: z.boolean(),
  voidedAt: IsoInstant.nullable(),
});
export type CashReceiptView = z.infer<typeof CashReceiptView>;

/** Cash in hand of one collector, one day, one currency (never summed across currencies). */
export const ReconciliationRow = z.object({
  collectorId: Id,
  collectorName: z.string(),
  day: IsoDate,
  currency: CurrencyCode,
  receipts: z.number().int().nonnegative(),
  /** Cash receipts not voided (transfers are already in the bank: listed apart). */
  cashMinor: MinorAmount,
  transferMinor: MinorAmount,
  depositedMinor: MinorAmount,
  /** cash − deposited: positive = still in the collector's hands, negative = deposited more than collected. */
  differenceMinor: z.number().int(),
});
export type ReconciliationRow = z.infer<typeof ReconciliationRow>;

export const ReconciliationQuery = z.object({
  from: IsoDate,
  to: IsoDate,
  collectorId: Id.optional(),
});
export const Reconciliation = z.object({ rows: z.array(ReconciliationRow), receipts: z.array(CashReceiptView) });
export type Reconciliation = z.infer<typeof Reconciliation>;

export const DepositInput = z.object({
  collectorId: Id,
  day: IsoDate,
  currency: CurrencyCode,
  amountMinor: MinorAmount.positive(),
  reference: z.string().trim().max(100).nullable().default(null),
});
export type DepositInput = z.infer<typeof DepositInput>;
export const DepositResult = z.object({ id: Id });

/** A receipt as the collector's device keeps it (offline): what the PDF and the handover show. */
export const FieldReceipt = z.object({
  id: Id,
  number: z.number().int().positive(),
  accountId: Id,
  debtorName: z.string(),
  method: ReceiptMethod,
  transferReference: z.string().nullable(),
  amountMinor: MinorAmount,
  currency: CurrencyCode,
  issuedAt: IsoInstant,
  day: IsoDate,
  code: z.string(),
  voidedAt: IsoInstant.nullable(),
  /** Its mutation is still in the outbox. */
  unsynced: z.boolean(),
});
export type FieldReceipt = z.infer<typeof FieldReceipt>;

export const IssueReceiptInput = z.object({
  accountId: Id,
  method: ReceiptMethod,
  amountMinor: MinorAmount.positive(),
  transferReference: z.string().trim().min(1).max(100).optional(),
});

export const ReceiptPdfInput = z.object({ receiptId: Id, lang: z.enum(['es', 'en']).default('es') });
export const ReceiptPdf = z.object({ fileName: z.string(), base64: z.string() });

const PerCurrency = z.array(z.object({ currency: CurrencyCode, amountMinor: MinorAmount, receipts: z.number().int() }));

/** The collector's end of day, from the local store (offline work included). */
export const Handover = z.object({
  day: IsoDate,
  visits: z.number().int().nonnegative(),
  promises: z.number().int().nonnegative(),
  cash: PerCurrency,
  transfers: PerCurrency,
  receipts: z.array(FieldReceipt),
  /** Mutations of any kind still to reach the server, and how many of them are receipts. */
  pendingMutations: z.number().int().nonnegative(),
  pendingReceipts: z.number().int().nonnegative(),
  /** Receipt numbers still held by the device. */
  numbersLeft: z.number().int().nonnegative(),
});
export type Handover = z.infer<typeof Handover>;

/** A receipt checked by its printed number and code (someone at the office holding the paper). */
export const ReceiptCheckQuery = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/),
});
export const ReceiptCheck = z.object({
  /** The number exists, the code is the one computed from its figures, and it is not voided. */
  valid: z.boolean(),
  receipt: CashReceiptView.nullable(),
});
export type ReceiptCheck = z.infer<typeof ReceiptCheck>;
