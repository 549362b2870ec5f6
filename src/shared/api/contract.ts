import { z } from 'zod';
import { OrgMessagingConfigInput, OrgMessagingConfigView, UnknownReply } from '../domain/replies';
import { ContactCostsInput, ContactCostsView } from '../domain/contact-costs';
import { AccountScore } from '../risk/score';
import { RiskModelEntry } from '../risk/card';
import { ActivityReport, ActivityReportQuery, MyDay } from '../reports/activity';
import { LiveBoard, LiveSettings, PauseReason, ReportedState, Timeline, TimelineKind } from '../live/presence';
import { DebtorExportFile } from './privacy';
import {
  DepositInput,
  DepositResult,
  FieldReceipt,
  Handover,
  IssueReceiptInput,
  ReceiptPdf,
  ReceiptPdfInput,
  Reconciliation,
  ReconciliationQuery,
} from '../domain/field';
import { AccountBundle, HardshipItem } from './rest';
import { AdminUser, CreateUserRequest, Team, UpdateUserRequest } from './users';
import { Id, IsoInstant, User } from '../domain/entities';
import { AccountStatus, Channel, Disposition, DpdBucket, Segment } from '../domain/enums';
import { CurrencyCode, MinorAmount } from '../domain/money';
import {
  APPROVAL_JUSTIFICATION_MAX,
  ApprovalDecision,
  ApprovalRequest,
  MissedCallback,
  NegotiationProposal,
  NegotiationQuote,
} from '../domain/collections';
import { AccountSetCallbackArgs, ContactPointFlagArgs, DebtorSetPreferencesArgs, PromiseCreateArgs } from '../sync/mutations';
import { ComplianceOverride } from '../rules/compliance/types';
import { PromisePolicy } from '../rules/promises';
import { ContactHabits } from '../rules/contact-habits';
import { SegmentRules } from '../rules/segments';
import { SegmentPreview, SegmentRulesState } from './habits-routes';
import { WhatsAppTemplateConfig } from '../domain/whatsapp-template';
import type { WorkstationErrorCode } from '../errors/codes';
import { MessageTemplateInput, MessageTemplateUpdate } from '../domain/template-admin';
import {
  ComplianceAuditEntry,
  ComplianceDecision,
  ComplianceViolation,
  OrgComplianceRules,
  OrgComplianceState,
} from '../domain/org-compliance';
import { MessageChannel, MessagePreview, OrgMessageTemplate, TemplateAuditEntry } from '../domain/messaging';
import { SipCredentials, SipSettings } from '../domain/sip';
import { LockReason, WipeMode, WipeOrder, WipeOrderEntry } from '../domain/security';
import { Simulation, Strategy, StrategyInput, StrategyResults } from '../domain/strategy';

// Domain types once lived here; they are in src/shared/domain now and re-exported for the callers.
export {
  ComplianceAuditEntry,
  ComplianceDecision,
  ComplianceViolation,
  OrgComplianceRules,
  OrgComplianceState,
} from '../domain/org-compliance';
export { MessageChannel, MessagePreview, MessageTemplate, OrgMessageTemplate, TemplateAuditEntry } from '../domain/messaging';
export { DialPlan, SipCredentials, SipSettings } from '../domain/sip';

/**
 * The one API the renderer talks to. The Electron preload implements it over IPC, the web host
 * over HTTP + WebSocket; both are typed against this file, and both validate inputs with these
 * schemas on the main side. Methods are named, never a generic send.
 */

export const Session = z.object({
  user: User,
  serverUrl: z.string().url(),
  clientId: Id,
  /** Set while the portfolio is locked behind a new login (401 from the server); every data handler refuses with `auth.locked`. */
  locked: LockReason.nullable().optional(),
});
export type Session = z.infer<typeof Session>;

export const SyncState = z.object({
  /** Whether the central server answered the last request. */
  online: z.boolean(),
  syncing: z.boolean(),
  /** Local mutations not yet acknowledged by the server. */
  pending: z.number().int().nonnegative(),
  lastSuccessAt: IsoInstant.nullable(),
  lastError: z.string().nullable(),
  /** Set when the server refuses this client's protocol version: the outbox is kept. */
  updateRequired: z.boolean(),
  /** Set when the server answered 401 (session expired or user disabled): the outbox is kept. */
  authRequired: z.boolean(),
  /** Set when this computer's disk is full (SQLITE_FULL, ENOSPC): not offline, nothing new can be saved. */
  storageFull: z.boolean().optional(),
  /** Progress of a paged full pull. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  /** Mutations the server refused (kept for the agent to see; they never block the queue). */
  rejected: z.array(
    z.object({
      mutationId: z.number().int(),
      name: z.string(),
      code: z.string(),
      message: z.string(),
      at: IsoInstant,
    }),
  ),
});
export type SyncState = z.infer<typeof SyncState>;

/** Why an account sits where it does in the queue, as an i18n key plus parameters. */
export const QueueReason = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type QueueReason = z.infer<typeof QueueReason>;

export const QueueGrouping = z.enum(['account', 'debtor']);
export type QueueGrouping = z.infer<typeof QueueGrouping>;

export const QueueQuery = z.object({
  search: z.string().trim().max(100).optional(),
  bucket: DpdBucket.optional(),
  segment: Segment.optional(),
  status: AccountStatus.optional(),
  sort: z.enum(['priority', 'balance', 'dpd', 'name']).default('priority'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(200).default(50),
  /** Only accounts whose debtor can still be contacted today (shared isContactableToday); the agent's UI asks for it by default. */
  contactableOnly: z.boolean().optional(),
  /**
   * One row per account, or one per debtor (their first account in the chosen order stands for
   * them, all their accounts listed in the row). Absent: per debtor where the organisation's rules
   * count contacts per debtor (shared countsContactsPerDebtor), per account elsewhere.
   */
  groupBy: QueueGrouping.optional(),
});
export type QueueQuery = z.input<typeof QueueQuery>;

/** One account of a debtor as the queue grouped by debtor lists it. */
export const DebtorAccount = z.object({
  accountId: Id,
  externalRef: z.string(),
  product: z.string(),
  currency: CurrencyCode,
  balanceMinor: MinorAmount,
  dpd: z.number().int(),
  bucket: DpdBucket,
  status: AccountStatus,
  priority: z.number(),
  contactableToday: z.boolean(),
});
export type DebtorAccount = z.infer<typeof DebtorAccount>;

export const QueueRow = z.object({
  accountId: Id,
  debtorId: Id,
  debtorName: z.string(),
  nationalId: z.string(),
  externalRef: z.string(),
  product: z.string(),
  currency: CurrencyCode,
  balanceMinor: MinorAmount,
  dpd: z.number().int(),
  bucket: DpdBucket,
  segment: Segment,
  status: AccountStatus,
  priority: z.number(),
  reason: QueueReason,
  callbackAt: IsoInstant.nullable(),
  lastContactAt: IsoInstant.nullable(),
  phone: z.string().nullable(),
  timeZone: z.string(),
  /** false when the debtor cannot be contacted any more today, with the first rule that refuses. */
  contactableToday: z.boolean().optional(),
  notContactableReason: z.object({ ruleId: z.string(), es: z.string(), en: z.string(), channel: Channel }).nullable().optional(),
  /** Grouped by debtor: every account of the debtor in this store, the row's own first (highest priority first after it). */
  debtorAccounts: z.array(DebtorAccount).optional(),
});
export type QueueRow = z.infer<typeof QueueRow>;

export const QueuePage = z.object({
  total: z.number().int(),
  rows: z.array(QueueRow),
  /** How the rows are grouped (the query's, or the organisation's default when it named none). */
  groupBy: QueueGrouping.optional(),
});
export type QueuePage = z.infer<typeof QueuePage>;

/** The server's account bundle plus what only the workstation knows. */
export const AccountDetail = AccountBundle.extend({
  /** Other accounts of the same debtor visible to this user. */
  siblingAccountIds: z.array(Id),
  dpd: z.number().int(),
  /** Ids of local writes for this account not yet acknowledged by the server. */
  pendingActivityIds: z.array(Id),
  /** The promise policy for this account's product as the workstation last synced it (null: none known). */
  promisePolicy: PromisePolicy.nullable().optional(),
  /** The debtor's best hours, recommended channel and rule segment as last synced (null: not computed yet). */
  habits: ContactHabits.nullable().optional(),
  /** The account's risk score with its three reasons as last synced (null: none yet; docs/risk.md). */
  score: AccountScore.nullable().optional(),
});
export type AccountDetail = z.infer<typeof AccountDetail>;

export const SendMessageInput = z.object({
  accountId: Id,
  contactPointId: Id,
  channel: MessageChannel,
  templateId: Id.optional(),
  /** WhatsApp inside the 24-hour window: the agent's own words instead of a template. */
  text: z.string().trim().min(1).max(4000).optional(),
});
export type SendMessageInput = z.input<typeof SendMessageInput>;

export const OutcomeInput = z.object({
  accountId: Id,
  channel: Channel,
  contactPointId: Id.nullable().default(null),
  disposition: Disposition,
  note: z.string().trim().max(4000).nullable().default(null),
  /** For an outcome that closes a call already logged by the softphone: that activity's id. */
  callActivityId: Id.nullable().default(null),
  /**
   * Outbound (we contacted the debtor: checked like placing the contact, refused when the rules
   * forbid it) or inbound (the debtor called or wrote: never refused). Ignored when closing a
   * softphone call, which knows its own direction.
   */
  direction: z.enum(['outbound', 'inbound']).default('outbound'),
  callbackAt: IsoInstant.nullable().default(null),
  promise: PromiseCreateArgs.pick({ installments: true }).nullable().default(null),
});
export type OutcomeInput = z.input<typeof OutcomeInput>;

export const CallAttemptInput = z.object({
  id: Id,
  accountId: Id,
  contactPointId: Id.nullable(),
  address: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  startedAt: IsoInstant,
  answeredAt: IsoInstant.nullable(),
  endedAt: IsoInstant.nullable(),
  durationSec: z.number().int().nonnegative().nullable(),
  sipStatus: z.number().int().nullable(),
  hangupBy: z.enum(['agent', 'remote', 'system']).nullable(),
});
export type CallAttemptInput = z.input<typeof CallAttemptInput>;

export const Settings = z.object({
  serverUrl: z.string().url(),
  /** The organisation's code used at the last login ('' for none): an installation with several organisations needs it. */
  organization: z.string().default(''),
  locale: z.enum(['es', 'en']),
  sip: SipSettings.nullable(),
  hasSipPassword: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsUpdate = z.object({
  serverUrl: z.string().url().optional(),
  locale: z.enum(['es', 'en']).optional(),
  sip: SipSettings.nullable().optional(),
  /** Stored on the main side only; never returned by getSettings. */
  sipPassword: z.string().optional(),
});

/** An approval request as the agent's workstation keeps it: `local` until the server has it, `unseen` once decided. */
export const MyApproval = ApprovalRequest.extend({ local: z.boolean(), unseen: z.boolean() });
export type MyApproval = z.infer<typeof MyApproval>;

export const ProposeResult = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('agreed'), promiseId: Id, quote: NegotiationQuote }),
  z.object({ outcome: z.literal('sent_for_approval'), requestId: Id, quote: NegotiationQuote }),
]);
export type ProposeResult = z.infer<typeof ProposeResult>;

const none = z.undefined();

export const MyPresence = z.object({ state: ReportedState, pauseReason: PauseReason.nullable() });
export type MyPresence = z.infer<typeof MyPresence>;

export const API = {
  getSession: { input: none, output: Session.nullable() },
  login: {
    input: z.object({
      username: z.string().min(1),
      password: z.string().min(1),
      serverUrl: z.string().url().optional(),
      organization: z.string().trim().max(63).optional(),
    }),
    output: Session,
  },
  logout: { input: none, output: z.null() },

  listQueue: { input: QueueQuery, output: QueuePage },
  getAccount: { input: z.object({ accountId: Id }), output: AccountDetail },
  findAccountByPhone: { input: z.object({ phone: z.string() }), output: z.object({ accountId: Id, debtorName: z.string() }).nullable() },

  logOutcome: { input: OutcomeInput, output: z.object({ activityId: Id, promiseId: Id.nullable() }) },
  logCallAttempt: { input: CallAttemptInput, output: z.object({ activityId: Id }) },
  addNote: { input: z.object({ accountId: Id, body: z.string().trim().min(1).max(4000) }), output: z.object({ noteId: Id }) },
  flagContactPoint: { input: ContactPointFlagArgs, output: z.null() },
  setCallback: { input: AccountSetCallbackArgs, output: z.null() },
  setDebtorPreferences: { input: DebtorSetPreferencesArgs, output: z.null() },

  checkContact: {
    input: z.object({ accountId: Id, contactPointId: Id.nullable(), channel: Channel, at: IsoInstant.optional() }),
    output: ComplianceDecision,
  },

  listMessageTemplates: { input: z.object({ accountId: Id }), output: z.array(MessagePreview) },
  /** Checked locally first (blocked → error `compliance.blocked`), then queued; the server checks again at send time. */
  sendMessage: { input: SendMessageInput, output: z.object({ messageId: Id }) },
  /** Admin only, online only. */
  getOrgCompliance: { input: none, output: OrgComplianceState },
  saveOrgCompliance: { input: OrgComplianceRules, output: OrgComplianceState },
  listComplianceAudit: { input: none, output: z.array(ComplianceAuditEntry) },
  /** Admin only, online only: the organisation's templates (inactive too) and their audit. */
  listOrgTemplates: { input: none, output: z.array(OrgMessageTemplate) },
  createOrgTemplate: { input: MessageTemplateInput, output: OrgMessageTemplate },
  updateOrgTemplate: { input: z.object({ id: Id, template: MessageTemplateUpdate }), output: OrgMessageTemplate },
  listTemplateAudit: { input: none, output: z.array(TemplateAuditEntry) },
  /** Team lead / admin, online only. */
  listComplianceViolations: { input: none, output: z.array(ComplianceViolation) },
  /** Team lead / admin (an agent gets their own row), online only. */
  getActivityReport: { input: ActivityReportQuery, output: ActivityReport },
  /** The agent's own day, from the local store (offline work included). */
  getMyDay: { input: none, output: MyDay },
  /** Admin only, online only: everything held on a debtor as the printable HTML file (audited on the server). */
  exportDebtorData: { input: z.object({ debtorId: Id }), output: DebtorExportFile },

  /** Offline, with the synced negotiation policy: schedule, totals and authority verdict. */
  quoteNegotiation: { input: z.object({ accountId: Id, proposal: NegotiationProposal }), output: NegotiationQuote },
  /** Within authority: the promise series at once; needs approval: an approval request (queued, works offline). */
  proposePlan: {
    // required when the terms need the team lead's approval (the services say so, naming the field)
    input: z.object({
      accountId: Id,
      proposal: NegotiationProposal,
      justification: z.string().trim().max(APPROVAL_JUSTIFICATION_MAX).optional(),
    }),
    output: ProposeResult,
  },
  listMyApprovals: { input: z.object({ accountId: Id.optional() }), output: z.array(MyApproval) },
  markApprovalsSeen: { input: z.object({ ids: z.array(Id) }), output: z.null() },
  /** Team lead / admin, online only. */
  listApprovals: {
    input: z.object({ status: z.enum(['pending', 'approved', 'rejected', 'countered']).optional() }),
    output: z.array(ApprovalRequest),
  },
  decideApproval: { input: z.object({ id: Id, decision: ApprovalDecision }), output: ApprovalRequest },
  listMissedCallbacks: { input: none, output: z.array(MissedCallback) },
  /** Team lead / admin, online only: replies from senders no debtor matched, and marking one handled. */
  listUnknownReplies: { input: none, output: z.array(UnknownReply) },
  markReplyHandled: { input: z.object({ id: Id }), output: UnknownReply },
  /** Team lead / admin, online only: hardship claims and accounts in hardship; set or lift it. */
  listHardship: { input: none, output: z.array(HardshipItem) },
  decideHardship: { input: z.object({ accountId: Id, hardship: z.boolean(), reason: z.string() }), output: z.null() },

  /** Admin only, online only (team leads may list). The server decides and audits. */
  listUsers: { input: none, output: z.array(AdminUser) },
  listTeams: { input: none, output: z.array(Team) },
  createUser: { input: CreateUserRequest, output: AdminUser },
  updateUser: { input: z.object({ id: Id, change: UpdateUserRequest }), output: AdminUser },
  /** Admin only, online only: wipe orders (newest first) and ordering one for every workstation of a user. */
  listWipeOrders: { input: none, output: z.array(WipeOrderEntry) },
  orderWipe: { input: z.object({ userId: Id, mode: WipeMode.optional() }), output: WipeOrder },
  /** Online only: the debtor's self-service link (made when none lives), and ending every live one (docs/self-service.md). */
  getPortalLink: { input: z.object({ debtorId: Id }), output: z.object({ url: z.string(), expiresAt: z.string() }) },
  revokePortalLink: { input: z.object({ debtorId: Id }), output: z.object({ revoked: z.number().int() }) },
  /** Admin only, online only: the risk models trained for the organisation with their model cards. */
  listRiskModels: { input: none, output: z.array(RiskModelEntry) },
  /** Admin only, online only: collection strategies, what one would do against today's portfolio, and its results. */
  listStrategies: { input: none, output: z.array(Strategy) },
  createStrategy: { input: StrategyInput, output: Strategy },
  updateStrategy: { input: z.object({ id: Id, strategy: StrategyInput }), output: Strategy },
  simulateStrategy: { input: z.object({ strategy: StrategyInput, days: z.number().int().min(1).max(30).optional() }), output: Simulation },
  getStrategyResults: { input: z.object({ id: Id }), output: StrategyResults },
  /** Admin only, online only: the segmentation rules, a preview count, and their replacement (docs/contact-habits.md). */
  getSegmentRules: { input: none, output: SegmentRulesState },
  previewSegments: { input: z.object({ rules: SegmentRules }), output: SegmentPreview },
  saveSegmentRules: { input: z.object({ rules: SegmentRules }), output: SegmentRulesState },

  /** The live board (docs/live-board.md). The agent's own state: the pause control (a reason, or null to be available). */
  setPause: { input: z.object({ reason: PauseReason.nullable() }), output: MyPresence },
  getMyPresence: { input: none, output: MyPresence },
  /** The softphone's call events (start, answer, end), for the board's "on a call" and wrap-up. */
  reportCall: {
    input: z.discriminatedUnion('phase', [
      z.object({ phase: z.enum(['dialing', 'ringing', 'active']), accountId: Id.nullable() }),
      z.object({ phase: z.literal('ended') }),
    ]),
    output: z.null(),
  },
  /** Team lead / admin, online only: the board as the server's stream last said it (read every second, costs no request). */
  getLiveBoard: {
    input: none,
    output: z.object({ board: LiveBoard.nullable(), connected: z.boolean(), updatedAt: z.number().nullable() }),
  },
  /** Admin only, online only: the alert thresholds (audited on the server). */
  saveLiveSettings: { input: LiveSettings, output: LiveSettings },
  getAgentTimeline: {
    input: z.object({
      agentId: Id,
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      kinds: z.array(TimelineKind).optional(),
    }),
    output: Timeline,
  },
  getContactCosts: { input: none, output: ContactCostsView },
  saveContactCosts: { input: ContactCostsInput, output: ContactCostsView },
  /** Admin only, online only: the organisation's provider accounts and reply mailbox (secrets write-only). */
  getMessagingConfig: { input: none, output: OrgMessagingConfigView },
  saveMessagingConfig: { input: OrgMessagingConfigInput, output: OrgMessagingConfigView },

  /** Field collection (docs/field-collection.md): a numbered receipt issued offline, its PDF, the day's handover. */
  issueReceipt: { input: IssueReceiptInput, output: FieldReceipt },
  voidReceipt: { input: z.object({ receiptId: Id, reason: z.string().trim().min(1).max(500) }), output: FieldReceipt },
  listReceipts: { input: z.object({ accountId: Id.optional() }), output: z.array(FieldReceipt) },
  receiptPdf: { input: ReceiptPdfInput, output: ReceiptPdf },
  getHandover: { input: none, output: Handover },
  /** Team lead / admin, online only: collectors' cash by day and currency, and recording a deposit. */
  getCashReconciliation: { input: ReconciliationQuery, output: Reconciliation },
  recordDeposit: { input: DepositInput, output: DepositResult },

  getSyncState: { input: none, output: SyncState },
  syncNow: { input: none, output: SyncState },

  getSettings: { input: none, output: Settings },
  saveSettings: { input: SettingsUpdate, output: Settings },
  getSipCredentials: { input: none, output: SipCredentials.nullable() },
} as const satisfies Record<string, { input: z.ZodTypeAny; output: z.ZodTypeAny }>;

export type ApiMethod = keyof typeof API;
export const API_METHODS = Object.keys(API) as ApiMethod[];

type Input<M extends ApiMethod> = z.input<(typeof API)[M]['input']>;
type Output<M extends ApiMethod> = z.output<(typeof API)[M]['output']>;

export type DataChangedEvent = { accountIds: string[] | null };

/** Push events from the main side. Each returns an unsubscribe function. */
export interface ApiEvents {
  onSyncState(listener: (state: SyncState) => void): () => void;
  onDataChanged(listener: (event: DataChangedEvent) => void): () => void;
}

export type WorkstationApi = {
  [M in ApiMethod]: Input<M> extends undefined ? () => Promise<Output<M>> : (input: Input<M>) => Promise<Output<M>>;
} & ApiEvents;

/** The main-side implementation: same methods, inputs already parsed by the transport. */
export type WorkstationHandlers = {
  [M in ApiMethod]: (input: z.output<(typeof API)[M]['input']>) => Promise<Output<M>>;
};

/** How failures cross IPC / HTTP: a code the UI translates, a message, the field at fault. */
export const ApiFailure = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });
export type ApiFailure = z.infer<typeof ApiFailure>;

export class WorkstationError extends Error {
  /** `code` is one of src/shared/errors/codes.ts; a rule's refusal uses WorkstationError.rule. */
  constructor(code: WorkstationErrorCode, message: string, field?: string);
  constructor(
    public readonly code: string,
    message: string,
    public readonly field?: string,
  ) {
    super(message);
    this.name = 'WorkstationError';
  }
  /** A refusal by a shared rule, coded with the rule's id (its text comes with the rule). */
  static rule(ruleId: string, message: string, field?: string): WorkstationError {
    return new (WorkstationError as new (code: string, message: string, field?: string) => WorkstationError)(ruleId, message, field);
  }
  /** A failure as it crossed IPC / HTTP, code as the main side gave it. */
  static fromFailure(f: ApiFailure): WorkstationError {
    return WorkstationError.rule(f.code, f.message, f.field);
  }
  toFailure(): ApiFailure {
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

/** Envelope for every answer of the transport (IPC or HTTP). */
export type ApiEnvelope<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };
