import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROUTES } from '../../shared/api/routes';
import { Channel } from '../../shared/domain/channels';
import { parseAmount } from '../../shared/domain/money';
import { QuoteError } from '../../shared/domain/collections';
import { complianceNow } from '../compliance/clock';
import type { Db } from '../db';
import { defineRoute, type RouteDef } from '../http/route';
import type { MessageProvider } from '../messaging/providers/types';
import type { PaymentGateway } from '../payments/gateway/types';
import { paymentGatewayForOrg } from '../payments/gateway/org-config';
import { MutationRejected } from '../sync/appliers/types';
import {
  confirmOffer,
  debtorView,
  quoteOffer,
  recordOpened,
  recordVoice,
  requestOffer,
  ruleFor,
  type DebtorView,
  type Offer,
} from './actions';
import { page } from './html';
import { checkIdentity, sendCode, sessionCookie, sessionValid } from './identity';
import { checkout } from './checkout';
import { findLink, linkState, verifyToken, portalBase, portalConfig, portalSecret, type PortalLink } from './links';
import { identityForm, mainPage, mixedCurrencies, money, parseDay, quotePage, scheduleTable, type Ctx } from './pages';
import { t, type Lang } from './texts';
import { esc, note, section } from './html';

/** What the page needs from outside: the SMS provider for one-time codes, the gateway for "Pagar". */
export interface PortalDeps {
  sms?: MessageProvider | undefined;
  paymentGateway?: PaymentGateway | undefined;
}
const deps = new WeakMap<Db, PortalDeps>();
export function setPortalDeps(db: Db, d: PortalDeps): void {
  deps.set(db, d);
}

const COOKIE = 'ps';

function cookies(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

interface Resolved {
  lang: Lang;
  ctx: Ctx;
  key: Buffer;
  linkId: string | null;
  link: PortalLink | null;
  now: Date;
}

type Outcome = { status: number; title: string; body: string };

function send(reply: FastifyReply, r: Resolved, o: Outcome): string {
  reply.code(o.status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
  return page({ lang: r.lang, self: r.ctx.base, title: o.title }, o.body);
}

/** The route machinery answers with the status it is told; the page's own status is handed over here. */
function keep(status: (code: number) => void, reply: FastifyReply, html: string): string {
  status(reply.statusCode);
  return html;
}

const dead = (r: Resolved, key: 'expired' | 'revoked' | 'tampered' | 'error', status: number): Outcome => ({
  status,
  title: t(r.lang, 'title'),
  body: note(t(r.lang, key)),
});

async function resolve(db: Db, request: FastifyRequest, token: string): Promise<Resolved> {
  const q = request.query as { lang?: string };
  const lang: Lang =
    q.lang === 'en' || q.lang === 'es'
      ? q.lang
      : cookies(request).plang === 'en'
        ? 'en'
        : (request.headers['accept-language'] ?? '').trim().toLowerCase().startsWith('en')
          ? 'en'
          : 'es';
  const key = await portalSecret(db);
  const linkId = verifyToken(key, token);
  const link = linkId ? await findLink(db, linkId) : null;
  return { lang, ctx: { lang, base: `/p/${encodeURIComponent(token)}` }, key, linkId, link, now: complianceNow() };
}

function form(body: unknown): URLSearchParams {
  return new URLSearchParams(Buffer.isBuffer(body) ? body.toString('utf8') : '');
}

/**
 * Every page handler runs here: the dead ends first (tampered → expired/revoked), then the identity
 * check, then `fn` with the debtor's view. Any failure is a page in the debtor's language, never a trace.
 */
async function guarded(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  fn: (r: Resolved & { link: PortalLink }, view: DebtorView) => Promise<Outcome>,
  opts: { needSession?: boolean } = { needSession: true },
): Promise<string> {
  let r: Resolved | null = null;
  try {
    r = await resolve(db, request, token);
    if ((request.query as { lang?: string }).lang) reply.header('set-cookie', `plang=${r.lang}; Path=/p/; SameSite=Lax; Max-Age=31536000`);
    if (!r.linkId) return send(reply, r, dead(r, 'tampered', 400));
    if (r.link) {
      const state = linkState(r.link, r.now);
      if (state === 'expired' || state === 'revoked') return send(reply, r, dead(r, state, 410));
    }
    const signedIn = !!r.link && sessionValid(r.key, r.link.id, cookies(request)[COOKIE], r.now);
    if (opts.needSession && !signedIn) {
      const method = r.link ? (await portalConfig(db, r.link.orgId)).identity : 'national_id_last4';
      return send(reply, r, { status: 200, title: t(r.lang, 'title'), body: identityForm(r.ctx, method, null) });
    }
    const view = r.link ? await debtorView(db, r.link.orgId, r.link.debtorId, r.now) : null;
    if (!r.link || !view) return send(reply, r, dead(r, 'tampered', 400));
    return send(reply, r, await fn(r as Resolved & { link: PortalLink }, view));
  } catch (e) {
    request.log.error(e);
    const fallback: Resolved = r ?? {
      lang: 'es',
      ctx: { lang: 'es', base: '/p/' },
      key: Buffer.alloc(0),
      linkId: null,
      link: null,
      now: new Date(),
    };
    return send(reply, fallback, dead(fallback, 'error', 500));
  }
}

/** The page once the debtor is known: their accounts and options, or the dead end that applies. */
async function home(db: Db, r: Resolved & { link: PortalLink }, view: DebtorView, flash: string | null): Promise<Outcome> {
  const title = t(r.lang, 'title');
  if (r.link.completedAt) return { status: 200, title, body: note(t(r.lang, 'completed'), true) + (await agreements(db, r, view)) };
  if (view.accounts.every((a) => a.balanceMinor <= 0)) return { status: 200, title, body: note(t(r.lang, 'paid'), true) };
  const rules = new Map(await Promise.all(view.accounts.map(async (a) => [a.id, await ruleFor(db, view.orgId, a)] as const)));
  return { status: 200, title, body: mainPage(r.ctx, view, rules, flash) };
}

/** The debtor's self-service promises with a "Pagar" per open instalment when a gateway is configured. */
async function agreements(db: Db, r: Resolved, view: DebtorView): Promise<string> {
  const rows = await db.query<{
    promiseId: string;
    accountId: string;
    currency: string;
    seq: number;
    dueDate: string;
    amountMinor: number;
    paidMinor: number;
  }>(
    `SELECT p.id AS "promiseId", p.account_id AS "accountId", p.currency, i.seq, to_char(i.due_date, 'YYYY-MM-DD') AS "dueDate",
       i.amount_minor::float8 AS "amountMinor", i.paid_minor::float8 AS "paidMinor"
     FROM promises p JOIN promise_installments i ON i.promise_id = p.id JOIN accounts a ON a.id = p.account_id
     WHERE a.debtor_id = $1 AND p.channel = 'self_service' AND p.status <> 'cancelled' ORDER BY p.created_at, i.seq`,
    [view.debtorId],
  );
  // the organisation's own gateway account first, else the server's (payments/gateway/org-config.ts)
  const gateway = await paymentGatewayForOrg(db, view.orgId, deps.get(db)?.paymentGateway);
  const mixed = mixedCurrencies(view);
  const byPromise = new Map<string, typeof rows>();
  for (const x of rows) byPromise.set(x.promiseId, [...(byPromise.get(x.promiseId) ?? []), x]);
  return [...byPromise.values()]
    .map((list) => {
      const first = list[0]!;
      const ref = view.accounts.find((a) => a.id === first.accountId)?.externalRef ?? '';
      const cur = first.currency as DebtorView['accounts'][number]['currency'];
      const table = scheduleTable(
        r.ctx,
        list.map((x) => ({
          dueDate: x.dueDate,
          amountMinor: x.amountMinor,
          ...(gateway
            ? {
                pay:
                  x.paidMinor >= x.amountMinor
                    ? '✓'
                    : `<a class="btn" href="${esc(r.ctx.base)}/pay/${x.promiseId}/${x.seq}?lang=${r.lang}">${esc(t(r.lang, 'pay'))} ${x.seq}</a>`,
              }
            : {}),
        })),
        cur,
        mixed,
      );
      const total = list.reduce((s, x) => s + x.amountMinor, 0);
      return section(ref, table + `<p><strong>${esc(t(r.lang, 'total'))}: ${esc(money(r.ctx, total, cur, mixed))}</strong></p>`);
    })
    .join('');
}

/** The offer a form describes; null when a field is not what the page sends. */
function readOffer(f: URLSearchParams, view: DebtorView): { account: DebtorView['accounts'][number]; offer: Offer } | null {
  const account = view.accounts.find((a) => a.id === f.get('accountId'));
  const date = parseDay(f.get('date') ?? '');
  if (!account || !date) return null;
  const kind = f.get('kind');
  if (kind === 'full' || kind === 'settlement') return { account, offer: { kind, payDate: date } };
  if (kind !== 'plan') return null;
  const n = Number(f.get('installments'));
  const down = parseAmount(f.get('down') || '0', account.currency);
  if (!Number.isInteger(n) || n < 1 || n > 250 || !down.ok) return null;
  return { account, offer: { kind: 'plan', installments: n, downPaymentMinor: down.minor, startDate: date } };
}

const fieldsOf = (f: URLSearchParams) =>
  Object.fromEntries(['accountId', 'kind', 'installments', 'down', 'date'].filter((k) => f.has(k)).map((k) => [k, f.get(k)!]));

export const portalRoutes: RouteDef[] = [
  defineRoute({
    ...ROUTES.portalPage,
    summary: "The debtor's self-service page: the identity check, then their debts and options (HTML)",
    tags: ['self-service'],
    access: 'public',
    responseContentType: 'text/html',
    errors: [400, 410, 500],
    async handler({ db, params, request, reply, status }) {
      return keep(status, reply, await guarded(db, request, reply, params.token, (r, view) => home(db, r, view, null)));
    },
  }),
  defineRoute({
    ...ROUTES.portalVerify,
    summary: 'The identity check: last 4 digits of the national id or the texted code; wrong answers limited per link',
    tags: ['self-service'],
    access: 'public',
    bodyRaw: true,
    responseContentType: 'text/html',
    errors: [400, 410, 429, 500],
    async handler({ db, params, request, reply, body, status }) {
      try {
        return keep(status, reply, await verify(db, request, reply, params.token, body));
      } catch (e) {
        request.log.error(e);
        const r: Resolved = {
          lang: 'es',
          ctx: { lang: 'es', base: '/p/' },
          key: Buffer.alloc(0),
          linkId: null,
          link: null,
          now: new Date(),
        };
        return keep(status, reply, send(reply, r, dead(r, 'error', 500)));
      }
    },
  }),
  defineRoute({
    ...ROUTES.portalSendCode,
    summary: 'Texts a one-time code to the phone on file (the same answer whether or not the link exists)',
    tags: ['self-service'],
    access: 'public',
    bodyRaw: true,
    responseContentType: 'text/html',
    errors: [400, 410, 500],
    async handler({ db, params, request, reply, status }) {
      const r = await resolve(db, request, params.token);
      if (!r.linkId) return keep(status, reply, send(reply, r, dead(r, 'tampered', 400)));
      try {
        await sendCode(db, r.link ? r.link.id : null, deps.get(db)?.sms, r.now);
      } catch (e) {
        request.log.warn(e);
      }
      return send(reply, r, { status: 200, title: t(r.lang, 'title'), body: identityForm(r.ctx, 'sms_code', t(r.lang, 'codeSent')) });
    },
  }),
  defineRoute({
    ...ROUTES.portalQuote,
    summary: 'The schedule and total of an option, quoted by the shared negotiation and promise rules',
    tags: ['self-service'],
    access: 'public',
    bodyRaw: true,
    responseContentType: 'text/html',
    errors: [400, 410, 500],
    async handler({ db, params, request, reply, body, status }) {
      return keep(
        status,
        reply,
        await guarded(db, request, reply, params.token, async (r, view) => {
          if (r.link.completedAt) return home(db, r, view, null);
          const f = form(body);
          const read = readOffer(f, view);
          if (!read)
            return {
              status: 400,
              title: t(r.lang, 'title'),
              body: note(t(r.lang, 'invalidInput', { field: t(r.lang, 'date') })) + (await home(db, r, view, null)).body,
            };
          try {
            const q = await quoteOffer(db, view, read.account, read.offer);
            return { status: 200, title: t(r.lang, 'schedule'), body: quotePage(r.ctx, view, read.account, q, fieldsOf(f)) };
          } catch (e) {
            if (!(e instanceof QuoteError)) throw e;
            return { status: 400, title: t(r.lang, 'title'), body: note(t(r.lang, 'invalidInput', { field: t(r.lang, 'installments') })) };
          }
        }),
      );
    },
  }),
  defineRoute({
    ...ROUTES.portalConfirm,
    summary: 'Confirms an option (a promise series as an agent would record it) or requests terms a team lead must approve',
    tags: ['self-service'],
    access: 'public',
    bodyRaw: true,
    responseContentType: 'text/html',
    errors: [400, 410, 500],
    async handler({ db, params, request, reply, body, status }) {
      return keep(
        status,
        reply,
        await guarded(db, request, reply, params.token, async (r, view) => {
          if (r.link.completedAt) return home(db, r, view, null);
          const f = form(body);
          const read = readOffer(f, view);
          if (!read) return { status: 400, title: t(r.lang, 'title'), body: note(t(r.lang, 'invalidInput', { field: t(r.lang, 'date') })) };
          // quoted again: what the page showed is never trusted back from the form
          const q = await quoteOffer(db, view, read.account, read.offer);
          if (q.errors.length > 0 || q.decision === 'outside_policy') {
            return { status: 400, title: t(r.lang, 'schedule'), body: quotePage(r.ctx, view, read.account, q, fieldsOf(f)) };
          }
          try {
            if (q.decision === 'needs_approval') {
              await requestOffer(db, view, read.account, q, (f.get('message') ?? '').slice(0, 1000), r.now);
              const ch = view.contactPrefs.preferredChannel ?? 'sms';
              return {
                status: 200,
                title: t(r.lang, 'title'),
                body: note(t(r.lang, 'requested', { channel: t(r.lang, `channel_${ch}`) }), true),
              };
            }
            await confirmOffer(db, r.link.id, view, read.account, q, r.now);
          } catch (e) {
            if (!(e instanceof MutationRejected)) throw e;
            return { status: 400, title: t(r.lang, 'title'), body: note(e.message) };
          }
          r.link.completedAt = r.now;
          return { status: 200, title: t(r.lang, 'title'), body: note(t(r.lang, 'confirmed'), true) + (await agreements(db, r, view)) };
        }),
      );
    },
  }),
  defineRoute({
    ...ROUTES.portalVoice,
    summary: "The debtor's preferred channel and hours, a refused channel, or a dispute: recorded as an agent's would be",
    tags: ['self-service'],
    access: 'public',
    bodyRaw: true,
    responseContentType: 'text/html',
    errors: [400, 410, 500],
    async handler({ db, params, request, reply, body, status }) {
      return keep(
        status,
        reply,
        await guarded(db, request, reply, params.token, async (r, view) => {
          const f = form(body);
          const channel = Channel.safeParse(f.get('channel'));
          const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
          const kind = f.get('kind');
          const bad = () => ({
            status: 400,
            title: t(r.lang, 'title'),
            body: note(t(r.lang, 'invalidInput', { field: t(r.lang, 'voice') })),
          });
          if (kind === 'preferences') {
            const from = f.get('from') ?? '';
            const to = f.get('to') ?? '';
            if (!channel.success || !hhmm.test(from) || !hhmm.test(to) || from >= to) return bad();
            await recordVoice(db, view, { kind, channel: channel.data, from, to }, r.now);
          } else if (kind === 'refuse') {
            if (!channel.success) return bad();
            await recordVoice(db, view, { kind, channel: channel.data }, r.now);
          } else if (kind === 'dispute') {
            const reason = (f.get('reason') ?? '').trim();
            if (!reason || !view.accounts.some((a) => a.id === f.get('accountId'))) return bad();
            await recordVoice(db, view, { kind, accountId: f.get('accountId')!, reason: reason.slice(0, 1000) }, r.now);
            return { status: 200, title: t(r.lang, 'title'), body: note(t(r.lang, 'disputed'), true) };
          } else return bad();
          return home(db, r, await debtorView(db, view.orgId, view.debtorId, r.now).then((v) => v ?? view), t(r.lang, 'saved'));
        }),
      );
    },
  }),
  defineRoute({
    ...ROUTES.portalPay,
    summary: 'Starts paying one instalment at the organisation’s gateway (a stable reference per attempt) and redirects there',
    tags: ['self-service'],
    access: 'public',
    responseContentType: 'text/html',
    errors: [400, 404, 410, 500],
    sendsItself: true,
    async handler({ db, params, request, reply }) {
      let target: string | null = null;
      const html = await guarded(db, request, reply, params.token, async (r, view) => {
        const gateway = await paymentGatewayForOrg(db, view.orgId, deps.get(db)?.paymentGateway);
        const [inst] = await db.query<{ accountId: string; currency: string; amountMinor: number; paidMinor: number; externalRef: string }>(
          `SELECT p.account_id AS "accountId", p.currency, i.amount_minor::float8 AS "amountMinor", i.paid_minor::float8 AS "paidMinor", a.external_ref AS "externalRef"
           FROM promises p JOIN promise_installments i ON i.promise_id = p.id JOIN accounts a ON a.id = p.account_id
           WHERE p.id = $1 AND i.seq = $2 AND a.debtor_id = $3`,
          [params.promiseId, params.seq, view.debtorId],
        );
        if (!gateway || !inst || inst.paidMinor >= inst.amountMinor) return home(db, r, view, null);
        target = await checkout(db, gateway, r, view, { ...inst, promiseId: params.promiseId, seq: params.seq });
        return { status: 303, title: t(r.lang, 'pay'), body: `<p><a href="${esc(target)}">${esc(t(r.lang, 'pay'))}</a></p>` };
      });
      if (target) reply.header('location', target);
      return reply.send(html);
    },
  }),
];

/** The identity check's answer: the same statements and page for an unknown link and a wrong answer. */
async function verify(db: Db, request: FastifyRequest, reply: FastifyReply, token: string, body: unknown): Promise<string> {
  const r = await resolve(db, request, token);
  if (!r.linkId) return send(reply, r, dead(r, 'tampered', 400));
  if (r.link) {
    const state = linkState(r.link, r.now);
    if (state === 'expired' || state === 'revoked') return send(reply, r, dead(r, state, 410));
  }
  const method = r.link ? (await portalConfig(db, r.link.orgId)).identity : 'national_id_last4';
  const verdict = await checkIdentity(db, r.link?.id ?? null, method, form(body).get('answer') ?? '', r.now);
  if (!verdict.ok) {
    const msg = verdict.lockedUntil
      ? t(r.lang, 'locked', { time: verdict.lockedUntil.toISOString().slice(11, 16) + ' UTC' })
      : t(r.lang, 'wrong');
    return send(reply, r, { status: verdict.lockedUntil ? 429 : 200, title: t(r.lang, 'title'), body: identityForm(r.ctx, method, msg) });
  }
  const link = r.link!;
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${COOKIE}=${sessionCookie(r.key, link.id, r.now)}; Path=/p/; HttpOnly; SameSite=Lax; Max-Age=1800${secure}`);
  const view = await debtorView(db, link.orgId, link.debtorId, r.now);
  if (!view) return send(reply, r, dead(r, 'tampered', 400));
  await recordOpened(db, view, r.now);
  return send(reply, r, await home(db, r as Resolved & { link: PortalLink }, view, null));
}
