import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../shared/domain/enums';
import type { Db } from '../db';
import { userForToken, type AuthUser } from '../auth/sessions';
import { deliverWipe } from '../wipe/orders';
import { forbidden, fromZodError, HttpError, unauthorized } from './errors';
import { dbForOrgCode, dbForToken, type OrgDirectory } from '../db/directory';

/**
 * Every route is declared once with its zod schemas and the roles allowed to call it. The same
 * declaration parses the request, checks the caller, checks the answer and feeds the OpenAPI
 * document, so the documentation cannot drift from what the server does.
 */
export type Access = 'public' | 'user' | readonly Role[];

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The caller; on a public route reading it throws. */
  user: AuthUser;
  db: Db;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Success status other than the route's default (e.g. 200 for an idempotent replay). */
  status(code: number): void;
}

export interface RouteDef<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify style: /api/v1/accounts/:id */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Default application/json. */
  bodyContentType?: 'application/json' | 'text/csv';
  bodyLimit?: number;
  /**
   * The body is not read before the handler: it gets the request stream as `body` (a file of any
   * size, read as it arrives — portfolio/stream.ts) and enforces its own size limit.
   */
  bodyStream?: boolean;
  /**
   * The body is handed to the handler as the bytes received (a Buffer), whatever its type: a
   * webhook whose signature is computed over the raw body parses it itself after checking it.
   */
  bodyRaw?: boolean;
  response: R;
  /** Default application/json; a route answering another type sets it on the reply itself. */
  responseContentType?: 'application/json' | 'text/html' | 'application/octet-stream' | 'text/event-stream';
  /**
   * The handler answers through `reply` itself (a file streamed from disk) and returns the reply:
   * nothing is checked against `response` nor sent after it.
   */
  sendsItself?: boolean;
  successStatus?: number;
  /** Extra error statuses this route answers (documented in OpenAPI). */
  errors?: number[];
  /** Skip checking the answer against `response` (only for very large, separately tested answers). */
  trustResponse?: boolean;
  /** Runs after authentication and before the request is parsed (e.g. a protocol version check). */
  guard?(raw: { body: unknown; query: unknown }): void;
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>;
}

export function defineRoute<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(def: RouteDef<P, Q, B, R>): RouteDef {
  return def as unknown as RouteDef;
}

function bearerToken(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1] ?? null;
}

/** Checked on every request (not cached), so disabling a user or ending a session acts at once. */
export async function authenticate(db: Db, request: FastifyRequest): Promise<AuthUser> {
  const token = bearerToken(request);
  if (!token) throw unauthorized('missing bearer token');
  const user = await userForToken(db, token);
  if (!user) throw unauthorized('invalid or expired session');
  if (user.disabled) throw new HttpError(401, 'user_disabled', 'this user is disabled');
  await deliverWipe(db, token, request.routeOptions.url ?? '');
  return user;
}

function parsePart<T extends z.ZodType | undefined>(location: 'params' | 'query' | 'body', schema: T, value: unknown): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw fromZodError(location, r.error);
  return r.data;
}

/**
 * The database a request is served from (db/directory.ts): the session token's organisation, else
 * the organisation a public request names (a login's `organization`, a webhook's `:org`).
 */
function requestDb(dir: OrgDirectory, request: FastifyRequest): Db {
  if (dir.placed.size === 0) return dir.primary;
  const token = bearerToken(request);
  if (token) return dbForToken(dir, token);
  const org = (request.params as { org?: unknown } | null)?.org ?? (request.body as { organization?: unknown } | null)?.organization;
  return dbForOrgCode(dir, typeof org === 'string' ? org : null);
}

export function registerRoute(app: FastifyInstance, db: OrgDirectory, def: RouteDef): void {
  if (def.bodyStream) {
    // Its own context, whose CSV parser hands the request stream on instead of buffering it.
    void app.register(async (child) => {
      child.removeContentTypeParser(['text/csv', 'text/plain']);
      child.addContentTypeParser(['text/csv', 'text/plain'], (_req, payload, done) => done(null, payload));
      registerOne(child as unknown as FastifyInstance, db, def);
    });
    return;
  }
  if (def.bodyRaw) {
    void app.register(async (child) => {
      child.removeAllContentTypeParsers();
      child.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      registerOne(child as unknown as FastifyInstance, db, def);
    });
    return;
  }
  registerOne(app, db, def);
}

function registerOne(app: FastifyInstance, dir: OrgDirectory, def: RouteDef): void {
  app.route({
    method: def.method,
    url: def.path,
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    handler: async (request, reply) => {
      const db = requestDb(dir, request);
      let user: AuthUser | null = null;
      if (def.access !== 'public') {
        user = await authenticate(db, request);
        if (Array.isArray(def.access) && !def.access.includes(user.role)) throw forbidden();
      }
      if (
        def.body &&
        def.bodyContentType === 'text/csv' &&
        typeof request.body !== 'string' &&
        !(def.bodyStream && (request.body === undefined || isStream(request.body)))
      ) {
        throw new HttpError(415, 'unsupported_media_type', 'body must be text/csv', 'body');
      }
      def.guard?.({ body: request.body, query: request.query });
      const params = parsePart('params', def.params, request.params);
      const query = parsePart('query', def.query, request.query);
      const body = def.bodyStream || def.bodyRaw ? (request.body ?? Buffer.alloc(0)) : parsePart('body', def.body, request.body);
      let status = def.successStatus ?? 200;
      const result = await def.handler({
        params,
        query,
        body,
        db,
        request,
        reply,
        get user(): AuthUser {
          if (!user) throw new Error(`route ${def.method} ${def.path} is public: there is no user`);
          return user;
        },
        status(code: number) {
          status = code;
        },
      });
      if (def.sendsItself) return reply;
      let out: unknown = result;
      if (!def.trustResponse) {
        const checked = def.response.safeParse(result);
        if (!checked.success) {
          request.log.error({ issues: checked.error.issues }, `response of ${def.method} ${def.path} does not match its schema`);
          throw new HttpError(500, 'internal', 'the server produced an invalid answer');
        }
        out = checked.data;
      }
      reply.code(status);
      return out;
    },
  });
}

const isStream = (body: unknown): boolean => typeof (body as { pipe?: unknown } | null)?.pipe === 'function';
