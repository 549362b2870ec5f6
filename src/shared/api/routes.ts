import { z } from 'zod';
import {
  ApprovalDecision,
  ApprovalRequest,
  ApprovalStatus,
  CollectionPolicies,
  CollectionPoliciesReplacement,
  MissedCallback,
} from '../domain/collections';
import { Account, Activity, Id, IsoInstant, Payment, User } from '../domain/entities';
import { Channel } from '../domain/enums';
import { MessageTemplate, OrgMessageTemplate, TemplateAuditEntry } from '../domain/messaging';
import {
  ComplianceAuditEntry,
  ComplianceDecision,
  ComplianceViolation,
  OrgComplianceRules,
  OrgComplianceState,
} from '../domain/org-compliance';
import { ImportReport } from '../domain/portfolio';
import {
  DepositInput,
  DepositResult,
  ReceiptBlocksRequest,
  ReceiptBlocksResponse,
  ReceiptCheck,
  ReceiptCheckQuery,
  Reconciliation,
  ReconciliationQuery,
} from '../domain/field';
import { SecurityPolicy, WipeOrder, WipeOrderList, WipeOrderRequest } from '../domain/security';
import { SipCredentials } from '../domain/sip';
import { ContactCostsInput, ContactCostsView } from '../domain/contact-costs';
import { RiskModelList } from '../risk/card';
import { Simulation, Strategy, StrategyInput, StrategyList, StrategyResults } from '../domain/strategy';
import { MessageTemplateInput, MessageTemplateUpdate } from '../domain/template-admin';
import { MercadoPagoWebhookQuery, OrgPaymentConfigInput, OrgPaymentConfigView } from '../domain/payment-gateway';
import { OrgMessagingConfigInput, OrgMessagingConfigView, UnknownReply, WebhookParams, WhatsAppVerifyQuery } from '../domain/replies';
import { ActivityReport, ActivityReportQuery } from '../reports/activity';
import { BoardAgent, LiveBoard, LiveSettings, PresenceReport, Timeline, TimelineQuery } from '../live/presence';
import { PullRequest, PullResponse, PushRequest, PushResponse } from '../sync/protocol';
import { AccountTrail, OrgAuditEntry } from './audit';
import { HABITS_ROUTES } from './habits-routes';
import { ImportRun, PaymentsImportReport } from './imports';
import { OutboundMessageView } from './messages';
import { DebtorExport, EraseRequest, EraseResult, PrivacySettings } from './privacy';
import {
  AccountBundle,
  AccountListPage,
  AccountListQuery,
  AssignRequest,
  HardshipDecision,
  HardshipItem,
  LoginRequest,
  LoginResponse,
  PaymentInput,
  PaymentResult,
  UserList,
} from './rest';
import {
  AdminUser,
  AuditList,
  ChangeOwnPasswordRequest,
  CreateTeamRequest,
  CreateUserRequest,
  SetPasswordRequest,
  Team,
  TeamList,
  UpdateTeamRequest,
  UpdateUserRequest,
} from './users';

/**
 * The central server's routes that the workstation calls, each written once: method, path and the
 * schemas of its parts and of its answer. The server declares its route with the same object
 * (`defineRoute({ ...ROUTES.x, summary, access, handler })`) and the workstation calls it with
 * `callRoute` (src/main/services/route-client.ts), so neither can drift from the other.
 */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify style: /api/v1/users/:id */
  path: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

/** Keeps the literal types of a route (its method, its schemas) for both sides to infer from. */
function route<const T extends RouteSpec>(spec: T): T {
  return spec;
}

const IdParams = z.object({ id: Id });
const PortalParams = z.object({ token: z.string().max(200) });
const PortalPayParams = z.object({
  token: z.string().max(200),
  promiseId: z.string().uuid(),
  seq: z.coerce.number().int().min(1).max(250),
});
const PortalQuery = z.object({ lang: z.enum(['es', 'en']).optional() }).passthrough();
const PortalLinkView = z.object({ url: z.string(), expiresAt: z.string() });
/** How the organisation's debtors reach their page: its own address, the identity check, how long a link lives. */
export const OrgPortalConfig = z.strictObject({
  baseUrl: z.string().url().max(300).nullable(),
  identity: z.enum(['national_id_last4', 'sms_code']),
  linkDays: z.number().int().min(1).max(90),
});
const UuidParams = z.object({ id: z.string().uuid() });
const Ok = z.object({ ok: z.literal(true) });
const UserAuditQuery = z.object({
  userId: Id.optional(),
  teamId: Id.optional(),
  /** The `seq` of the oldest entry already shown. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().positive().max(500).default(100),
});

export const ROUTES = {
  login: route({ method: 'POST', path: '/api/v1/auth/login', body: LoginRequest, response: LoginResponse }),
  logout: route({ method: 'POST', path: '/api/v1/auth/logout', response: z.object({ ok: z.literal(true) }) }),
  me: route({ method: 'GET', path: '/api/v1/me', response: User }),
  mySip: route({ method: 'GET', path: '/api/v1/me/sip', response: SipCredentials }),

  orgCompliance: route({ method: 'GET', path: '/api/v1/org/compliance', response: OrgComplianceState }),
  saveOrgCompliance: route({ method: 'PUT', path: '/api/v1/org/compliance', body: OrgComplianceRules, response: OrgComplianceState }),
  orgComplianceAudit: route({ method: 'GET', path: '/api/v1/org/compliance/audit', response: z.array(ComplianceAuditEntry) }),
  complianceRules: route({ method: 'GET', path: '/api/v1/compliance/rules', response: OrgComplianceState }),
  complianceViolations: route({
    method: 'GET',
    path: '/api/v1/compliance/violations',
    query: z.object({ limit: z.coerce.number().int().positive().max(1000).default(200) }),
    response: z.array(ComplianceViolation),
  }),

  messageTemplates: route({ method: 'GET', path: '/api/v1/messages/templates', response: z.array(MessageTemplate) }),
  orgTemplates: route({ method: 'GET', path: '/api/v1/org/message-templates', response: z.array(OrgMessageTemplate) }),
  createOrgTemplate: route({
    method: 'POST',
    path: '/api/v1/org/message-templates',
    body: MessageTemplateInput,
    response: OrgMessageTemplate,
  }),
  updateOrgTemplate: route({
    method: 'PUT',
    path: '/api/v1/org/message-templates/:id',
    params: IdParams,
    body: MessageTemplateUpdate,
    response: OrgMessageTemplate,
  }),
  orgTemplateAudit: route({ method: 'GET', path: '/api/v1/org/message-templates/audit', response: z.array(TemplateAuditEntry) }),

  /** The organisation's trained risk models with their cards, newest first (docs/risk.md). */
  riskModels: route({ method: 'GET', path: '/api/v1/org/risk-models', response: RiskModelList }),

  strategies: route({ method: 'GET', path: '/api/v1/org/strategies', response: StrategyList }),
  createStrategy: route({ method: 'POST', path: '/api/v1/org/strategies', body: StrategyInput, response: Strategy }),
  updateStrategy: route({ method: 'PUT', path: '/api/v1/org/strategies/:id', params: IdParams, body: StrategyInput, response: Strategy }),
  strategyResults: route({ method: 'GET', path: '/api/v1/org/strategies/:id/results', params: IdParams, response: StrategyResults }),
  /** Price per contact by currency and channel (cost per peso collected). */
  contactCosts: route({ method: 'GET', path: '/api/v1/org/contact-costs', response: ContactCostsView }),
  saveContactCosts: route({ method: 'PUT', path: '/api/v1/org/contact-costs', body: ContactCostsInput, response: ContactCostsView }),
  /** What a strategy (saved or not) would do over the next days against today's portfolio. */
  simulateStrategy: route({
    method: 'POST',
    path: '/api/v1/org/strategies/simulate',
    body: z.object({ strategy: StrategyInput, days: z.number().int().min(1).max(30).default(30) }).strict(),
    response: Simulation,
  }),

  // ---- live board (docs/live-board.md)
  /** The workstation's heartbeat and its report of a change of state (agent's own). */
  livePresence: route({ method: 'POST', path: '/api/v1/live/presence', body: PresenceReport, response: BoardAgent }),
  liveBoard: route({ method: 'GET', path: '/api/v1/live/board', response: LiveBoard }),
  /** Server-sent events (text/event-stream): `board` first and every 30 s, then `agent` as each changes. */
  liveStream: route({ method: 'GET', path: '/api/v1/live/stream', response: z.unknown() }),
  agentTimeline: route({
    method: 'GET',
    path: '/api/v1/live/agents/:id/timeline',
    params: IdParams,
    query: TimelineQuery,
    response: Timeline,
  }),
  liveSettings: route({ method: 'GET', path: '/api/v1/live/settings', response: LiveSettings }),
  saveLiveSettings: route({ method: 'PUT', path: '/api/v1/live/settings', body: LiveSettings, response: LiveSettings }),
  activityReport: route({ method: 'GET', path: '/api/v1/reports/activity', query: ActivityReportQuery, response: ActivityReport }),

  users: route({ method: 'GET', path: '/api/v1/users', response: UserList }),
  createUser: route({ method: 'POST', path: '/api/v1/users', body: CreateUserRequest, response: AdminUser }),
  updateUser: route({ method: 'PATCH', path: '/api/v1/users/:id', params: IdParams, body: UpdateUserRequest, response: AdminUser }),
  teams: route({ method: 'GET', path: '/api/v1/teams', response: TeamList }),
  wipeUser: route({ method: 'POST', path: '/api/v1/users/:id/wipe', params: IdParams, body: WipeOrderRequest, response: WipeOrder }),
  wipeOrders: route({ method: 'GET', path: '/api/v1/wipe-orders', response: WipeOrderList }),

  orgSecurity: route({ method: 'GET', path: '/api/v1/org/security', response: SecurityPolicy }),
  saveOrgSecurity: route({ method: 'PUT', path: '/api/v1/org/security', body: SecurityPolicy, response: SecurityPolicy }),

  collectionPolicies: route({ method: 'GET', path: '/api/v1/collections/policies', response: CollectionPolicies }),
  missedCallbacks: route({
    method: 'GET',
    path: '/api/v1/collections/missed-callbacks',
    response: z.object({ callbacks: z.array(MissedCallback) }),
  }),
  approvals: route({
    method: 'GET',
    path: '/api/v1/approvals',
    query: z.object({ status: ApprovalStatus.optional() }),
    response: z.object({ approvals: z.array(ApprovalRequest) }),
  }),
  myApprovals: route({
    method: 'GET',
    path: '/api/v1/approvals/mine',
    query: z.object({ since: z.coerce.number().int().nonnegative().default(0) }),
    response: z.object({ approvals: z.array(ApprovalRequest) }),
  }),
  decideApproval: route({
    method: 'POST',
    path: '/api/v1/approvals/:id/decide',
    params: IdParams,
    body: ApprovalDecision,
    response: ApprovalRequest,
  }),

  // ---- operations
  health: route({
    method: 'GET',
    path: '/healthz',
    response: z.object({ ok: z.boolean(), db: z.enum(['up', 'down']), latencyMs: z.number().int().nonnegative().nullable() }),
  }),
  openApi: route({ method: 'GET', path: '/api/v1/openapi.json', response: z.record(z.string(), z.unknown()) }),
  /** The workstation update feed (electron-updater's generic provider): a file, of the type its name says. */
  updateFile: route({ method: 'GET', path: '/updates/:file', params: z.object({ file: z.string() }), response: z.unknown() }),

  // ---- users and teams (administration)
  disableUser: route({ method: 'POST', path: '/api/v1/users/:id/disable', params: IdParams, response: User }),
  enableUser: route({ method: 'POST', path: '/api/v1/users/:id/enable', params: IdParams, response: User }),
  setUserPassword: route({
    method: 'POST',
    path: '/api/v1/users/:id/password',
    params: IdParams,
    body: SetPasswordRequest,
    response: AdminUser,
  }),
  changeOwnPassword: route({ method: 'POST', path: '/api/v1/me/password', body: ChangeOwnPasswordRequest, response: Ok }),
  userAudit: route({ method: 'GET', path: '/api/v1/users/audit', query: UserAuditQuery, response: AuditList }),
  createTeam: route({ method: 'POST', path: '/api/v1/teams', body: CreateTeamRequest, response: Team }),
  updateTeam: route({ method: 'PATCH', path: '/api/v1/teams/:id', params: IdParams, body: UpdateTeamRequest, response: Team }),

  // ---- accounts
  accounts: route({ method: 'GET', path: '/api/v1/accounts', query: AccountListQuery, response: AccountListPage }),
  account: route({ method: 'GET', path: '/api/v1/accounts/:id', params: IdParams, response: AccountBundle }),
  accountActivities: route({
    method: 'GET',
    path: '/api/v1/accounts/:id/activities',
    params: IdParams,
    response: z.object({ activities: z.array(Activity) }),
  }),
  assignAccount: route({ method: 'POST', path: '/api/v1/accounts/:id/assign', params: IdParams, body: AssignRequest, response: Account }),
  hardshipList: route({ method: 'GET', path: '/api/v1/accounts/hardship', response: z.object({ items: z.array(HardshipItem) }) }),
  decideHardship: route({
    method: 'POST',
    path: '/api/v1/accounts/:id/hardship',
    params: IdParams,
    body: HardshipDecision,
    response: Account,
  }),
  hardshipAudit: route({
    method: 'GET',
    path: '/api/v1/accounts/:id/hardship/audit',
    params: IdParams,
    response: z.object({ entries: z.array(OrgAuditEntry) }),
  }),
  accountTrail: route({ method: 'GET', path: '/api/v1/accounts/:id/trail', params: UuidParams, response: AccountTrail }),
  accountMessages: route({
    method: 'GET',
    path: '/api/v1/accounts/:id/messages',
    params: IdParams,
    response: z.array(OutboundMessageView),
  }),

  // ---- compliance
  complianceCheck: route({
    method: 'POST',
    path: '/api/v1/compliance/check',
    body: z.object({ accountId: Id, contactPointId: Id.nullable().default(null), channel: Channel, at: IsoInstant.optional() }),
    response: ComplianceDecision,
  }),

  // ---- imports and payments
  importPortfolio: route({
    method: 'POST',
    path: '/api/v1/imports/portfolio',
    query: z.object({ importId: z.string().uuid().optional() }),
    /** The CSV file (text/csv); the server reads it as a stream. */
    body: z.string(),
    response: ImportReport,
  }),
  imports: route({
    method: 'GET',
    path: '/api/v1/imports',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: z.object({ imports: z.array(ImportRun) }),
  }),
  importRun: route({ method: 'GET', path: '/api/v1/imports/:id', params: UuidParams, response: ImportRun }),
  importPayments: route({
    method: 'POST',
    path: '/api/v1/imports/payments',
    /** The payments feed as CSV (text/csv). */
    body: z.string().min(1, 'empty file'),
    response: PaymentsImportReport,
  }),
  recordPayment: route({ method: 'POST', path: '/api/v1/payments', body: PaymentInput, response: PaymentResult }),

  // ---- field collection (docs/field-collection.md)
  receiptBlocks: route({
    method: 'POST',
    path: '/api/v1/field/receipt-blocks',
    body: ReceiptBlocksRequest,
    response: ReceiptBlocksResponse,
  }),
  cashReconciliation: route({ method: 'GET', path: '/api/v1/field/reconciliation', query: ReconciliationQuery, response: Reconciliation }),
  recordDeposit: route({ method: 'POST', path: '/api/v1/field/deposits', body: DepositInput, response: DepositResult }),
  checkReceipt: route({
    method: 'GET',
    path: '/api/v1/field/receipts/:number/check',
    params: z.object({ number: z.coerce.number().int().positive() }),
    query: ReceiptCheckQuery,
    response: ReceiptCheck,
  }),
  reversePayment: route({
    method: 'POST',
    path: '/api/v1/payments/:reference/reverse',
    params: z.object({ reference: z.string().min(1) }),
    body: z.object({ reversedAt: IsoInstant.optional() }).default({}),
    response: z.object({ payment: Payment, changed: z.boolean() }),
  }),

  // ---- collections
  saveCollectionPolicies: route({
    method: 'PUT',
    path: '/api/v1/collections/policies',
    body: CollectionPoliciesReplacement,
    response: CollectionPolicies,
  }),
  collectionPoliciesAudit: route({
    method: 'GET',
    path: '/api/v1/collections/policies/audit',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      beforeSeq: z.coerce.number().int().positive().optional(),
    }),
    response: z.object({ entries: z.array(OrgAuditEntry) }),
  }),
  runPromiseStatus: route({
    method: 'POST',
    path: '/api/v1/collections/promise-status/run',
    response: z.object({ accounts: z.number().int(), changed: z.number().int(), broken: z.number().int() }),
  }),

  // ---- sync
  syncPush: route({ method: 'POST', path: '/api/v1/sync/push', body: PushRequest, response: PushResponse }),
  syncPull: route({ method: 'POST', path: '/api/v1/sync/pull', body: PullRequest, response: PullResponse }),

  // ---- privacy (data-protection rights)
  privacySettings: route({ method: 'GET', path: '/api/v1/privacy/settings', response: PrivacySettings }),
  savePrivacySettings: route({ method: 'PUT', path: '/api/v1/privacy/settings', body: PrivacySettings, response: PrivacySettings }),
  debtorExport: route({ method: 'GET', path: '/api/v1/privacy/debtors/:id/export', params: IdParams, response: DebtorExport }),
  /** The same export as a printable page (text/html). */
  debtorExportHtml: route({ method: 'GET', path: '/api/v1/privacy/debtors/:id/export.html', params: IdParams, response: z.string() }),
  eraseDebtor: route({
    method: 'POST',
    path: '/api/v1/privacy/debtors/:id/erase',
    params: IdParams,
    body: EraseRequest,
    response: EraseResult,
  }),
  // Provider webhooks: no session, authenticated by the provider's signature with the
  // organisation's own secret (src/server/messaging/webhooks.ts); the body is read raw.
  twilioStatusWebhook: route({ method: 'POST', path: '/api/v1/webhooks/:org/twilio/status', params: WebhookParams, response: z.string() }),
  twilioInboundWebhook: route({
    method: 'POST',
    path: '/api/v1/webhooks/:org/twilio/inbound',
    params: WebhookParams,
    response: z.string(),
  }),
  whatsappVerifyWebhook: route({
    method: 'GET',
    path: '/api/v1/webhooks/:org/whatsapp',
    params: WebhookParams,
    query: WhatsAppVerifyQuery,
    response: z.string(),
  }),
  whatsappWebhook: route({ method: 'POST', path: '/api/v1/webhooks/:org/whatsapp', params: WebhookParams, response: z.string() }),
  // the organisation's payment gateway tells a payment's news (src/server/payments/gateway/notifications.ts)
  mercadoPagoWebhook: route({
    method: 'POST',
    path: '/api/v1/webhooks/:org/mercadopago',
    params: WebhookParams,
    query: MercadoPagoWebhookQuery,
    response: z.string(),
  }),
  orgPaymentConfig: route({ method: 'GET', path: '/api/v1/org/payments', response: OrgPaymentConfigView }),
  saveOrgPaymentConfig: route({ method: 'PUT', path: '/api/v1/org/payments', body: OrgPaymentConfigInput, response: OrgPaymentConfigView }),
  unknownReplies: route({
    method: 'GET',
    path: '/api/v1/replies/unknown',
    query: z.object({ handled: z.enum(['true', 'false']).default('false') }),
    response: z.array(UnknownReply),
  }),
  orgMessagingConfig: route({ method: 'GET', path: '/api/v1/org/messaging', response: OrgMessagingConfigView }),
  saveOrgMessagingConfig: route({
    method: 'PUT',
    path: '/api/v1/org/messaging',
    body: OrgMessagingConfigInput,
    response: OrgMessagingConfigView,
  }),
  handleUnknownReply: route({ method: 'POST', path: '/api/v1/replies/:id/handled', params: IdParams, response: UnknownReply }),
  ...HABITS_ROUTES,
  // The debtor's self-service page (src/server/portal, docs/self-service.md): HTML for a phone, no
  // session but the signed link and the identity check; forms post back url-encoded, read raw.
  portalPage: route({ method: 'GET', path: '/p/:token', params: PortalParams, query: PortalQuery, response: z.string() }),
  portalVerify: route({ method: 'POST', path: '/p/:token/verify', params: PortalParams, query: PortalQuery, response: z.string() }),
  portalSendCode: route({ method: 'POST', path: '/p/:token/code', params: PortalParams, query: PortalQuery, response: z.string() }),
  portalQuote: route({ method: 'POST', path: '/p/:token/quote', params: PortalParams, query: PortalQuery, response: z.string() }),
  portalConfirm: route({ method: 'POST', path: '/p/:token/confirm', params: PortalParams, query: PortalQuery, response: z.string() }),
  portalVoice: route({ method: 'POST', path: '/p/:token/voice', params: PortalParams, query: PortalQuery, response: z.string() }),
  portalPay: route({
    method: 'GET',
    path: '/p/:token/pay/:promiseId/:seq',
    params: PortalPayParams,
    query: PortalQuery,
    response: z.string(),
  }),
  /** The debtor's live self-service link (made when none lives), for the agent to send or read out. */
  debtorPortalLink: route({ method: 'POST', path: '/api/v1/debtors/:id/portal-link', params: IdParams, response: PortalLinkView }),
  /** Ends every live link of the debtor (the agent's or lead's button on the account screen). */
  revokeDebtorPortalLink: route({
    method: 'POST',
    path: '/api/v1/debtors/:id/portal-link/revoke',
    params: IdParams,
    response: z.object({ revoked: z.number().int() }),
  }),
  orgPortalConfig: route({ method: 'GET', path: '/api/v1/org/portal', response: OrgPortalConfig }),
  saveOrgPortalConfig: route({ method: 'PUT', path: '/api/v1/org/portal', body: OrgPortalConfig, response: OrgPortalConfig }),
} as const;

export type RouteName = keyof typeof ROUTES;

type Part<S extends RouteSpec, K extends 'params' | 'query' | 'body'> = S[K] extends z.ZodType
  ? { [P in K]: z.input<S[K]> }
  : { [P in K]?: undefined };
/** What a client sends to a route: its params, query and body, each typed by the route's schema. */
export type RouteRequest<S extends RouteSpec> = Part<S, 'params'> & Part<S, 'query'> & Part<S, 'body'>;
export type RouteAnswer<S extends RouteSpec> = z.output<S['response']>;

/** The concrete URL of a route: `:name` segments filled (encoded), the query as a query string. */
export function routeUrl(spec: RouteSpec, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const path = spec.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new Error(`route ${spec.path}: missing parameter ${name}`);
    return encodeURIComponent(String(v));
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) q.set(k, String(v));
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}
