import { z } from 'zod';
import { Id, IsoInstant } from './entities';
import { Channel } from './enums';
import { ComplianceOverride } from '../rules/compliance/types';

/** The organisation's compliance rules as stored, audited and cached, and the verdicts they give. */

/** The answer of the one compliance check (src/shared/rules/compliance). */
export const ComplianceDecision = z.object({
  allowed: z.boolean(),
  reasons: z.array(
    z.object({
      ruleId: z.string(),
      es: z.string(),
      en: z.string(),
      /** A cap's refusal names the contact that holds it and when it frees (rules/compliance/types.ts Reason). */
      heldBy: z
        .object({
          accountId: z.string(),
          channel: Channel,
          at: IsoInstant,
          agentId: z.string().nullable(),
          freesAt: IsoInstant.nullable(),
          /** Filled by the workstation where it knows them: the account's reference, the agent's name. */
          externalRef: z.string().nullable().optional(),
          agentName: z.string().nullable().optional(),
        })
        .optional(),
    }),
  ),
  /** Earliest instant a contact on this channel would be allowed; null if never (hard stop). */
  nextAllowedAt: IsoInstant.nullable(),
});
export type ComplianceDecision = z.infer<typeof ComplianceDecision>;

/**
 * The organisation's own compliance rules: stricter-only overrides (validated by the rules' own
 * schema) and its internal do-not-call list. Admins edit them; every client caches them so the
 * check works offline.
 */
export const OrgComplianceRules = z.object({
  overrides: ComplianceOverride,
  dncNumbers: z
    .array(
      z
        .string()
        .trim()
        .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, 'phone number: digits, optional leading +'),
    )
    .max(100_000)
    .default([]),
});
export type OrgComplianceRules = z.infer<typeof OrgComplianceRules>;

export const OrgComplianceState = z.object({
  rules: OrgComplianceRules,
  /** Increases with every change. */
  revision: z.number().int().nonnegative(),
  updatedAt: IsoInstant.nullable(),
  updatedBy: z.string().nullable(),
  /** The organisation's country and zone: fallbacks of the rules. */
  country: z.string(),
  timeZone: z.string(),
});
export type OrgComplianceState = z.infer<typeof OrgComplianceState>;

export const ComplianceAuditEntry = z.object({
  seq: z.number().int(),
  userId: Id,
  username: z.string(),
  at: IsoInstant,
  before: OrgComplianceRules,
  after: OrgComplianceRules,
});
export type ComplianceAuditEntry = z.infer<typeof ComplianceAuditEntry>;

/** An attempt recorded although the rules forbade it (made offline, judged by the server when it arrived). */
export const ComplianceViolation = z.object({
  activityId: Id,
  accountId: Id,
  agentId: Id,
  agentUsername: z.string(),
  channel: Channel,
  startedAt: IsoInstant,
  recordedAt: IsoInstant,
  ruleIds: z.array(z.string()),
  /** Who was contacted, on which account (the lead opens it from the list), in whose clock. */
  debtorName: z.string().default(''),
  externalRef: z.string().default(''),
  debtorTimeZone: z.string().default('UTC'),
  agentName: z.string().default(''),
  /** Online: it reached the server within minutes of being made; offline: synced later. */
  made: z.enum(['online', 'offline']).default('offline'),
});
export type ComplianceViolation = z.infer<typeof ComplianceViolation>;
