import helmet from '@fastify/helmet';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { hardshipRoutes } from './accounts/hardship';
import { accountRoutes } from './accounts/routes';
import { authConfigFromEnv, setAuthConfig, trustProxyFromEnv, type AuthConfig } from './auth/config';
import { authRoutes } from './auth/routes';
import { schedulePurge } from './auth/sessions';
import { ContactPreferences } from '../shared/domain/entities';
import { checkContact } from '../shared/rules/compliance/check';
import { setComplianceClock } from './compliance/clock';
import { loadOrgCompliance } from './compliance/rules-store';
import { complianceRoutes } from './compliance/routes';
import { collectionsRoutes } from './collections/routes';
import { fieldRoutes } from './field/routes';
import type { Db } from './db';
import { HttpError } from './http/errors';
import { buildOpenApi } from './http/openapi';
import { ROUTES as API } from '../shared/api/routes';
import { defineRoute, registerRoute, type RouteDef } from './http/route';
import { importRoutes } from './imports/routes';
import { endLiveStreams, liveRoutes } from './live/routes';
import { decodeCsvBytes } from './portfolio/decode';
import { mailboxFromEnv, providersFromEnv } from './messaging/config';
import { createDispatcher, type Dispatcher } from './messaging/dispatcher';
import { messagingRoutes } from './messaging/routes';
import { repliesRoutes } from './messaging/replies-routes';
import { scheduleMailboxPolls } from './messaging/imap-replies';
import { webhookRoutes } from './messaging/webhooks';
import { strategyRoutes } from './strategies/routes';
import { habitsRoutes } from './habits/routes';
import { riskRoutes } from './risk/routes';
import { paymentRoutes } from './payments/routes';
import { paymentConfigRoutes } from './payments/gateway/config-routes';
import { paymentWebhookRoutes } from './payments/gateway/notifications';
import type { PaymentGateway } from './payments/gateway/types';
import { privacyRoutes } from './privacy/routes';
import { portalLinkRoutes } from './portal/link-routes';
import { portalRoutes, setPortalDeps } from './portal/routes';
import type { MessageProvider } from './messaging/providers/types';
import { reportRoutes } from './reports/routes';
import type { ReportsReplica } from './reports/replica';
import { allDatabases, dbForOrgCode, type OrgDirectory } from './db/directory';
import { securityRoutes } from './security/routes';
import { syncRoutes } from './sync/routes';
import { userRoutes } from './users/routes';
import { teamRoutes } from './users/teams';
import { updateFeedRoute } from './updates/routes';
import type { ServerErrorCode } from '../shared/errors/codes';

export interface CreateServerOptions {
  db: Db;
  /** false (default) for silence, true for pino's default, or a logger. */
  logger?: boolean | FastifyBaseLogger;
  /** Sends queued messages after each push carrying one; default: providers from the environment, polling every 30 s. */
  dispatcher?: Dispatcher;
  /** The instant compliance is judged at (tests); real time when absent. */
  now?: () => Date;
  /** The workstation update feed's folder (GET /updates/…); default UPDATES_DIR, none when unset. */
  updatesDir?: string;
  /** Login limits and session lifetimes; default: from the environment (auth/config.ts). */
  auth?: AuthConfig;
  /** Behind a reverse proxy: whose X-Forwarded-For to believe (TRUST_PROXY); default none. */
  trustProxy?: boolean | number | string[];
  /** Strict-Transport-Security, only when clients reach the server over TLS; default: HSTS=1 in the environment. */
  hsts?: boolean;
  /** A streaming replica reports read from (REPORTS_DATABASE_URL); default none: reports read the primary. */
  reportsReplica?: ReportsReplica | null;
  /**
   * Organisations placed in a database of their own: code → database (ORG_DATABASES; db/directory.ts).
   * `db` holds every other organisation. Migrated by the caller, like `db`.
   */
  placed?: ReadonlyMap<string, Db>;
  /**
   * The server's payment gateway for organisations without their own account (one deployment, or
   * a test's local Mercado Pago); default: MERCADOPAGO_* from the environment (payments/gateway/org-config.ts).
   */
  paymentGateway?: PaymentGateway;
  /** The SMS provider the self-service identity check texts its one-time codes through; default: SMS_PROVIDER from the environment. */
  portalSms?: MessageProvider;
}

/** A JSON API loads nothing and is framed by nobody. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The HTML the server serves (the debtor export) carries its styles inline and nothing else. */
const HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The debtor's page posts its forms back to itself (and nothing else runs on it). */
const PORTAL_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** A request slower than this is logged (the others are not). */
const SLOW_REQUEST_MS = 1000;

/**
 * Fastify's two log lines per request are two writes to the log pipe each time: at 1,000 agents a
 * real share of a loaded core. Only a request that was slow or whose response failed is logged;
 * server errors (5xx) are logged by the error handler.
 */
class QuietRequestLog extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error || reply.elapsedTime >= SLOW_REQUEST_MS) super.requestCompleted(error, request, reply);
  }
}

export const API_TITLE = 'Cobranza central server';
export const API_VERSION = '1.0.0';

/** How long /healthz waits for the database before answering 503: it must never hang. */
const HEALTH_DB_TIMEOUT_MS = 1000;

async function pingDb(db: Db, limitMs: number): Promise<number | null> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), limitMs);
  });
  try {
    const answered = await Promise.race([
      db.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      late,
    ]);
    return answered ? Math.round(performance.now() - started) : null;
  } finally {
    clearTimeout(timer);
  }
}

const healthRoute = defineRoute({
  ...API.health,
  summary: 'Liveness and database check (503 when the database does not answer within 1 s)',
  tags: ['ops'],
  access: 'public',
  errors: [503],
  async handler({ db, status }) {
    const latencyMs = await pingDb(db, HEALTH_DB_TIMEOUT_MS);
    if (latencyMs === null) {
      status(503);
      return { ok: false, db: 'down' as const, latencyMs: null };
    }
    return { ok: true, db: 'up' as const, latencyMs };
  },
});

/** Every route of the API, in the order the OpenAPI document lists them. */
export const ROUTES: readonly RouteDef[] = [
  healthRoute,
  ...authRoutes,
  ...hardshipRoutes,
  ...accountRoutes,
  ...userRoutes,
  ...teamRoutes,
  ...paymentRoutes,
  ...paymentConfigRoutes,
  ...paymentWebhookRoutes,
  ...importRoutes,
  ...syncRoutes,
  ...collectionsRoutes,
  ...fieldRoutes,
  ...complianceRoutes,
  ...messagingRoutes,
  ...repliesRoutes,
  ...webhookRoutes,
  ...strategyRoutes,
  ...habitsRoutes,
  ...riskRoutes,
  ...reportRoutes,
  ...liveRoutes,
  ...privacyRoutes,
  ...securityRoutes,
  ...portalLinkRoutes,
  ...portalRoutes,
  updateFeedRoute,
];

export const openApiRoute: RouteDef = defineRoute({
  ...API.openApi,
  summary: 'This document',
  tags: ['ops'],
  access: 'public',
  async handler(): Promise<Record<string, unknown>> {
    return buildOpenApi([...ROUTES, openApiRoute], { title: API_TITLE, version: API_VERSION });
  },
});

/**
 * Judges one made-up contact per organisation before the first request: the first judgement in a
 * process builds the country's holiday calendar (date-holidays) and the zones' date formatters,
 * tens of milliseconds that would otherwise land on the first push after a start — when a
 * restarted server is met by every client coming back at once. Reads only; failures are ignored.
 */
async function warmCompliance(db: Db): Promise<void> {
  const orgs = await db.query<{ id: string }>('SELECT id FROM organizations ORDER BY id LIMIT 20');
  const contactPrefs = ContactPreferences.parse({});
  for (const { id } of orgs) {
    const { country, timeZone, rules } = await loadOrgCompliance(db, id);
    checkContact({
      channel: 'call',
      contactPoint: null,
      account: { id, status: 'active' },
      history: [],
      at: new Date(),
      debtor: { id, country, timeZone, contactPrefs },
      org: { country, timeZone, dncNumbers: rules.dncNumbers, overrides: rules.overrides },
    });
  }
}

function carriesMessage(body: unknown): boolean {
  const mutations = (body as { mutations?: unknown } | null)?.mutations;
  return Array.isArray(mutations) && mutations.some((m) => (m as { name?: unknown } | null)?.name === 'message.send');
}

function errorBody(code: ServerErrorCode, message: string, field?: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...(field ? { field } : {}), ...extra } };
}

export function createServer({
  db,
  logger = false,
  dispatcher,
  now,
  updatesDir = process.env.UPDATES_DIR || undefined,
  auth,
  trustProxy,
  hsts = process.env.HSTS === '1' || process.env.HSTS === 'true',
  reportsReplica = null,
  placed = new Map(),
  paymentGateway,
  portalSms,
}: CreateServerOptions): FastifyInstance {
  const directory: OrgDirectory = { primary: db, placed };
  const databases = allDatabases(directory);
  const authConfig = auth ?? authConfigFromEnv();
  const portalDeps = { paymentGateway, sms: portalSms ?? providersFromEnv().sms };
  for (const d of databases) {
    setAuthConfig(d, authConfig);
    setPortalDeps(d, portalDeps);
  }
  const trust = trustProxy ?? trustProxyFromEnv(process.env.TRUST_PROXY);
  const app = Fastify({
    // a hop count: the nearest n forwarders are proxies
    trustProxy: typeof trust === 'number' ? (_addr: string, i: number) => i < trust : trust,
    ...(typeof logger === 'boolean' ? { logger } : { loggerInstance: logger }),
    bodyLimit: 8 * 1024 * 1024,
    logController: new QuietRequestLog(),
  }) as unknown as FastifyInstance;

  // CSV bodies are decoded as the CLI reads files (portfolio/decode.ts): UTF-8 when valid, else
  // Windows-1252 (Excel's "CSV" on Windows) — never stored as replacement characters.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, decodeCsvBytes(body as Buffer).text),
  );

  app.setErrorHandler((err: FastifyError | HttpError | Error, request, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.status).send(errorBody(err.code, err.message, err.field, err.extra));
    }
    const status = (err as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own refusals: malformed JSON, unknown content type, body too large …
      const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_request';
      return reply.code(status).send(errorBody(code, err.message, status === 400 ? 'body' : undefined));
    }
    request.log.error(err);
    return reply.code(500).send(errorBody('internal', 'internal server error'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  // Security headers on every answer (nosniff, no framing, no referrer, CSP); HSTS only behind TLS.
  void app.register(helmet, {
    global: true,
    contentSecurityPolicy: false,
    hsts: hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    const html = request.url.startsWith('/p/') ? PORTAL_CSP : HTML_CSP;
    reply.header('content-security-policy', type.startsWith('text/html') ? html : API_CSP);
    return payload;
  });

  app.decorate('updatesDir', updatesDir);
  app.decorate('reportsReplica', reportsReplica);
  app.decorate('orgDirectory', directory);
  app.decorate('paymentGateway', paymentGateway);
  for (const route of [...ROUTES, openApiRoute]) registerRoute(app, directory, route);

  if (now) setComplianceClock(now);
  app.addHook('onReady', async () => {
    for (const d of databases) await warmCompliance(d).catch((e: unknown) => app.log.warn({ err: e }, 'compliance warm-up failed'));
  });
  // one dispatcher per database: a message is queued, and sent, in its organisation's database
  const ownDispatcher = (d: Db) =>
    createDispatcher(d, providersFromEnv(), { pollMs: 30_000, publicBaseUrl: process.env.PUBLIC_BASE_URL || undefined });
  const dispatchers = [dispatcher ?? ownDispatcher(db), ...[...placed.values()].map(ownDispatcher)];
  // Only a push that carried a message can have queued one; the poll catches anything else.
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith(API.syncPush.path) && reply.statusCode < 300 && carriesMessage(request.body))
      for (const m of dispatchers) m.kick();
  });
  // a dispatcher the caller passed in is the caller's to close
  app.addHook('onClose', async () => {
    for (const m of dispatcher ? dispatchers.slice(1) : dispatchers) await m.close();
  });
  // debtors' e-mail replies, from each organisation's reply mailbox (and the server-wide IMAP_* one)
  // every minute, in each database of the directory
  const mailbox = mailboxFromEnv();
  let stopMailboxes: Array<() => Promise<void>> = [];
  app.addHook('onReady', async () => {
    let fromEnv = null;
    const home = mailbox ? dbForOrgCode(directory, mailbox.orgCode) : null;
    if (mailbox && home) {
      const [o] = await home.query<{ id: string }>('SELECT id FROM organizations WHERE code = $1', [mailbox.orgCode]);
      if (!o) throw new Error(`IMAP_ORG "${mailbox.orgCode}" is no organisation's code`);
      fromEnv = { ...mailbox, orgId: o.id };
    }
    stopMailboxes = databases.map((d) =>
      scheduleMailboxPolls(d, d === home ? fromEnv : null, 60_000, (e, orgId) =>
        app.log.warn({ err: e, orgId }, 'reply mailbox poll failed'),
      ),
    );
  });
  app.addHook('onClose', async () => {
    for (const stop of stopMailboxes) await stop();
  });
  // live board streams are never idle: a closing instance ends them (the workstation reconnects)
  app.addHook('preClose', async () => {
    endLiveStreams(app.server);
  });
  // ended sessions and spent login counters, every 10 minutes (one instance at a time does it)
  const stopPurges = databases.map((d) => schedulePurge(d, 10 * 60_000, (e) => app.log.warn({ err: e }, 'session purge failed')));
  app.addHook('onClose', async () => {
    for (const stop of stopPurges) await stop();
  });
  return app;
}
