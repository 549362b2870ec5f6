import type { ApiMethod, WorkstationHandlers } from '../../shared/api/contract';
import { ROUTES, type RouteAnswer, type RouteRequest, type RouteSpec } from '../../shared/api/routes';
import { callRoute } from './route-client';
import type { UserContext } from './user-context';

/**
 * The handlers that only hand a call to the central server (administration, reports, approvals):
 * one table row each — which route, how the handler's input becomes the request, and how the
 * server's answer becomes the handler's — and one generic handler. They are online only; a
 * network failure reaches the renderer as `server.unreachable` (toWorkstationError).
 */
type In<M extends ApiMethod> = Parameters<WorkstationHandlers[M]>[0];
type Out<M extends ApiMethod> = Awaited<ReturnType<WorkstationHandlers[M]>>;

interface Pass<M extends ApiMethod, S extends RouteSpec> {
  method: M;
  route: S;
  request(input: In<M>): RouteRequest<S>;
  answer(out: RouteAnswer<S>): Out<M>;
}

interface How<M extends ApiMethod, S extends RouteSpec> {
  request?: (input: In<M>) => RouteRequest<S>;
  answer?: (out: RouteAnswer<S>) => Out<M>;
}

/**
 * One row: `request` may be left out when the route takes nothing; `answer` may be left out only
 * when the server's answer already is the handler's (checked by the compiler).
 */
function pass<M extends ApiMethod, S extends RouteSpec>(
  method: M,
  route: S,
  ...how: RouteAnswer<S> extends Out<M> ? [How<M, S>?] : [How<M, S> & Required<Pick<How<M, S>, 'answer'>>]
): Pass<M, S> {
  const o = how[0] ?? {};
  return {
    method,
    route,
    request: o.request ?? (() => ({}) as RouteRequest<S>),
    answer: o.answer ?? ((out) => out as Out<M>),
  };
}

export const PASS_THROUGH = [
  pass('getOrgCompliance', ROUTES.orgCompliance),
  pass('listComplianceAudit', ROUTES.orgComplianceAudit),
  pass('listComplianceViolations', ROUTES.complianceViolations, { request: () => ({ query: {} }) }),
  pass('listOrgTemplates', ROUTES.orgTemplates),
  pass('listTemplateAudit', ROUTES.orgTemplateAudit),
  pass('getActivityReport', ROUTES.activityReport, { request: (q) => ({ query: q }) }),
  pass('listUsers', ROUTES.users, { answer: (r) => r.users }),
  pass('listTeams', ROUTES.teams, { answer: (r) => r.teams }),
  pass('createUser', ROUTES.createUser, { request: (body) => ({ body }) }),
  pass('updateUser', ROUTES.updateUser, { request: ({ id, change }) => ({ params: { id }, body: change }) }),
  pass('listWipeOrders', ROUTES.wipeOrders, { answer: (r) => r.orders }),
  pass('orderWipe', ROUTES.wipeUser, { request: ({ userId, mode }) => ({ params: { id: userId }, body: mode ? { mode } : {} }) }),
  pass('getPortalLink', ROUTES.debtorPortalLink, { request: ({ debtorId }) => ({ params: { id: debtorId } }) }),
  pass('revokePortalLink', ROUTES.revokeDebtorPortalLink, { request: ({ debtorId }) => ({ params: { id: debtorId } }) }),
  pass('listRiskModels', ROUTES.riskModels, { answer: (r) => r.models }),
  pass('listStrategies', ROUTES.strategies, { answer: (r) => r.strategies }),
  pass('createStrategy', ROUTES.createStrategy, { request: (body) => ({ body }) }),
  pass('updateStrategy', ROUTES.updateStrategy, { request: ({ id, strategy }) => ({ params: { id }, body: strategy }) }),
  pass('simulateStrategy', ROUTES.simulateStrategy, { request: ({ strategy, days }) => ({ body: { strategy, days } }) }),
  pass('getStrategyResults', ROUTES.strategyResults, { request: ({ id }) => ({ params: { id } }) }),
  pass('getSegmentRules', ROUTES.segmentRules),
  pass('previewSegments', ROUTES.previewSegments, { request: (body) => ({ body }) }),
  pass('saveSegmentRules', ROUTES.saveSegmentRules, { request: (body) => ({ body }) }),
  pass('getContactCosts', ROUTES.contactCosts),
  pass('saveContactCosts', ROUTES.saveContactCosts, { request: (body) => ({ body }) }),
  pass('getMessagingConfig', ROUTES.orgMessagingConfig),
  pass('saveMessagingConfig', ROUTES.saveOrgMessagingConfig, { request: (body) => ({ body }) }),
  pass('listApprovals', ROUTES.approvals, { request: ({ status }) => ({ query: { status } }), answer: (r) => r.approvals }),
  pass('decideApproval', ROUTES.decideApproval, { request: ({ id, decision }) => ({ params: { id }, body: decision }) }),
  pass('listMissedCallbacks', ROUTES.missedCallbacks, { answer: (r) => r.callbacks }),
  pass('listUnknownReplies', ROUTES.unknownReplies, { request: () => ({ query: {} }) }),
  pass('saveLiveSettings', ROUTES.saveLiveSettings, { request: (body) => ({ body }) }),
  pass('markReplyHandled', ROUTES.handleUnknownReply, { request: ({ id }) => ({ params: { id } }) }),
] as const;

export type PassThroughMethod = (typeof PASS_THROUGH)[number]['method'];

export function createPassThroughHandlers(need: () => UserContext): Pick<WorkstationHandlers, PassThroughMethod> {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const p of PASS_THROUGH as readonly Pass<ApiMethod, RouteSpec>[]) {
    handlers[p.method] = async (input) => p.answer(await callRoute(need().server, p.route, p.request(input as never)));
  }
  return handlers as unknown as Pick<WorkstationHandlers, PassThroughMethod>;
}
