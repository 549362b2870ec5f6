import { routeUrl, type RouteAnswer, type RouteRequest, type RouteSpec } from '../../shared/api/routes';
import type { ServerClient } from '../sync/transport';

/**
 * Calls one route of the shared table (src/shared/api/routes.ts): the path, the query string and
 * the check of the answer all come from the route's one declaration, the one the server serves.
 */
export function callRoute<S extends RouteSpec>(server: ServerClient, spec: S, req: RouteRequest<S>): Promise<RouteAnswer<S>> {
  const r = req as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
  // a POST without a body still sends JSON: Fastify refuses an empty body announced as JSON
  const body = r.body !== undefined ? r.body : spec.method === 'GET' ? undefined : {};
  return server.call(spec.method as 'GET', routeUrl(spec, r.params, r.query), body, spec.response) as Promise<RouteAnswer<S>>;
}
