import { z } from 'zod';
import { ApprovalDecision, ApprovalRequest, ApprovalStatus, CollectionPolicies, MissedCallback } from '../domain/collections';
import { Id, User } from '../domain/entities';
import { MessageTemplate, OrgMessageTemplate, TemplateAuditEntry } from '../domain/messaging';
import { ComplianceAuditEntry, ComplianceViolation, OrgComplianceRules, OrgComplianceState } from '../domain/org-compliance';
import { SecurityPolicy, WipeOrder, WipeOrderRequest } from '../domain/security';
import { SipCredentials } from '../domain/sip';
import { Simulation, Strategy, StrategyInput, StrategyList, StrategyResults } from '../domain/strategy';
import { MessageTemplateInput, MessageTemplateUpdate } from '../domain/template-admin';
import { ActivityReport, ActivityReportQuery } from '../reports/activity';
import { LoginRequest, LoginResponse, UserList } from './rest';
import { AdminUser, CreateUserRequest, TeamList, UpdateUserRequest } from './users';

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

  strategies: route({ method: 'GET', path: '/api/v1/org/strategies', response: StrategyList }),
  createStrategy: route({ method: 'POST', path: '/api/v1/org/strategies', body: StrategyInput, response: Strategy }),
  updateStrategy: route({ method: 'PUT', path: '/api/v1/org/strategies/:id', params: IdParams, body: StrategyInput, response: Strategy }),
  strategyResults: route({ method: 'GET', path: '/api/v1/org/strategies/:id/results', params: IdParams, response: StrategyResults }),
  /** What a strategy (saved or not) would do over the next days against today's portfolio. */
  simulateStrategy: route({
    method: 'POST',
    path: '/api/v1/org/strategies/simulate',
    body: z.object({ strategy: StrategyInput, days: z.number().int().min(1).max(30).default(30) }).strict(),
    response: Simulation,
  }),

  activityReport: route({ method: 'GET', path: '/api/v1/reports/activity', query: ActivityReportQuery, response: ActivityReport }),

  users: route({ method: 'GET', path: '/api/v1/users', response: UserList }),
  createUser: route({ method: 'POST', path: '/api/v1/users', body: CreateUserRequest, response: AdminUser }),
  updateUser: route({ method: 'PATCH', path: '/api/v1/users/:id', params: IdParams, body: UpdateUserRequest, response: AdminUser }),
  teams: route({ method: 'GET', path: '/api/v1/teams', response: TeamList }),
  wipeUser: route({ method: 'POST', path: '/api/v1/users/:id/wipe', params: IdParams, body: WipeOrderRequest, response: WipeOrder }),

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
