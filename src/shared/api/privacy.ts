import { z } from 'zod';
import { Id, IsoDate, IsoInstant } from '../domain/entities';

/**
 * Debtors' data-protection rights (/api/v1/privacy/…, docs/privacy.md): the export of everything
 * held on one debtor (access: Colombia Ley 1581, Mexico LFPDPPP "ARCO", Peru Ley 29733, Chile
 * Ley 19.628) and the anonymisation of a debtor whose purpose has ended (cancellation), both for
 * administrators only and both recorded in the privacy audit.
 */

/** Chile (Ley 21.320) requires collection records kept two years: no organisation goes lower. */
export const MIN_RETENTION_YEARS = 2;
export const MAX_RETENTION_YEARS = 30;
export const DEFAULT_RETENTION_YEARS = 5;

export const PrivacySettings = z
  .object({
    /** Years a debtor's data is kept after the last of their accounts closed. */
    retentionYears: z
      .number()
      .int()
      .min(MIN_RETENTION_YEARS, `retentionYears: at least ${MIN_RETENTION_YEARS} (Chile, Ley 21.320, requires two years of records)`)
      .max(MAX_RETENTION_YEARS, `retentionYears: at most ${MAX_RETENTION_YEARS}`),
  })
  .strict();
export type PrivacySettings = z.infer<typeof PrivacySettings>;

export const EraseRequest = z
  .object({
    /** Why (the debtor's request and its date, the end of the purpose …): kept in the audit. */
    reason: z
      .string()
      .trim()
      .min(3, 'reason: say why the data is erased (at least 3 characters)')
      .max(500, 'reason: at most 500 characters'),
  })
  .strict();
export type EraseRequest = z.infer<typeof EraseRequest>;

/** What an erasure changed, per table: the counts go to the audit, never the values. */
export const EraseResult = z.object({
  debtorId: Id,
  erasedAt: IsoInstant,
  anonymised: z.object({
    debtors: z.number().int(),
    contactPoints: z.number().int(),
    accounts: z.number().int(),
    activities: z.number().int(),
    notes: z.number().int(),
    messages: z.number().int(),
    approvals: z.number().int(),
    syncRejections: z.number().int(),
  }),
});
export type EraseResult = z.infer<typeof EraseResult>;

const Json = z.unknown();
const Ts = IsoInstant.nullable();
/** A staff member as the export names them: enough to say who did what, nothing else. */
const Staff = z.object({ id: Id, username: z.string(), displayName: z.string() }).nullable();

/**
 * The export document. Format version 1. Every list is this debtor's only; timestamps are UTC
 * ISO instants (the HTML form shows them in the debtor's zone).
 */
export const DebtorExport = z.object({
  format: z.literal('cobranza.debtor-export/1'),
  generatedAt: IsoInstant,
  generatedBy: Staff,
  organization: z.object({ id: Id, name: z.string(), country: z.string(), timeZone: z.string() }),
  debtor: z.object({
    id: Id,
    externalId: z.string(),
    name: z.string(),
    nationalId: z.string(),
    country: z.string(),
    timeZone: z.string(),
    debtorType: z.string(),
    segment: z.string(),
    contactPrefs: Json,
    createdAt: IsoInstant,
    updatedAt: IsoInstant,
    erasedAt: Ts,
  }),
  contactPoints: z.array(
    z.object({
      id: Id,
      kind: z.string(),
      value: z.string(),
      label: z.string().nullable(),
      verified: z.boolean(),
      invalid: z.boolean(),
      doNotContact: z.boolean(),
      createdAt: IsoInstant,
      updatedAt: IsoInstant,
    }),
  ),
  accounts: z.array(
    z.object({
      id: Id,
      externalRef: z.string(),
      product: z.string(),
      currency: z.string(),
      principalMinor: z.number(),
      balanceMinor: z.number(),
      dueDate: IsoDate.nullable(),
      installmentsTotal: z.number(),
      installmentsPaid: z.number(),
      installmentAmountMinor: z.number().nullable(),
      status: z.string(),
      assignedAgent: Staff,
      callbackAt: Ts,
      callbackNote: z.string().nullable(),
      lastContactAt: Ts,
      createdAt: IsoInstant,
      closedAt: Ts,
    }),
  ),
  assignments: z.array(z.object({ accountId: Id, from: Staff, to: Staff, by: Staff, at: IsoInstant })),
  /**
   * Every contact attempt, with the verdict the server stored when it received it: the rule ids
   * it breached (null: none) and whether the server refused to send it (a blocked message).
   */
  contactAttempts: z.array(
    z.object({
      id: Id,
      accountId: Id,
      agent: Staff,
      channel: z.string(),
      direction: z.string(),
      contactPointId: Id.nullable(),
      address: z.string().nullable(),
      disposition: z.string().nullable(),
      note: z.string().nullable(),
      startedAt: IsoInstant,
      answeredAt: Ts,
      endedAt: Ts,
      durationSec: z.number().nullable(),
      promiseId: Id.nullable(),
      recordedAt: IsoInstant,
      compliance: z.object({ violations: z.array(z.string()).nullable(), blocked: z.boolean(), judgedAt: IsoInstant }),
    }),
  ),
  messages: z.array(
    z.object({
      id: Id,
      accountId: Id,
      agent: Staff,
      channel: z.string(),
      address: z.string(),
      subject: z.string().nullable(),
      body: z.string(),
      template: z.string().nullable(),
      status: z.string(),
      reasons: Json,
      error: z.string().nullable(),
      createdAt: IsoInstant,
      updatedAt: IsoInstant,
    }),
  ),
  notes: z.array(z.object({ id: Id, accountId: Id, author: Staff, body: z.string(), createdAt: IsoInstant, recordedAt: IsoInstant })),
  promises: z.array(
    z.object({
      id: Id,
      accountId: Id,
      agent: Staff,
      channel: z.string(),
      currency: z.string(),
      status: z.string(),
      planId: Id.nullable(),
      createdAt: IsoInstant,
      recordedAt: IsoInstant,
      installments: z.array(
        z.object({ seq: z.number(), dueDate: IsoDate, amountMinor: z.number(), paidMinor: z.number(), status: z.string() }),
      ),
    }),
  ),
  payments: z.array(
    z.object({
      id: Id,
      accountId: Id,
      reference: z.string(),
      amountMinor: z.number(),
      appliedMinor: z.number().nullable(),
      currency: z.string(),
      paidAt: IsoInstant,
      reversedAt: Ts,
      recordedAt: IsoInstant,
    }),
  ),
  approvals: z.array(
    z.object({
      id: Id,
      accountId: Id,
      agent: Staff,
      status: z.string(),
      proposal: Json,
      decidedBy: Staff,
      decidedAt: Ts,
      decisionReason: z.string().nullable(),
      createdAt: IsoInstant,
    }),
  ),
  /** Earlier exports, erasures and refused erasures of this debtor (this export is logged after it is made). */
  privacyLog: z.array(z.object({ action: z.string(), actor: Staff, at: IsoInstant, detail: Json })),
});
export type DebtorExport = z.infer<typeof DebtorExport>;

/** What the workstation's "export" button saves: the HTML form (src/shared/privacy/export-html.ts). */
export const DebtorExportFile = z.object({ fileName: z.string().min(1), html: z.string().min(1) });
export type DebtorExportFile = z.infer<typeof DebtorExportFile>;
