import type { FastifyRequest } from 'fastify';
import { CurrencyCode } from '../../../shared/domain/money';
import { ROUTES } from '../../../shared/api/routes';
import { recordPayment, reversePayment } from '../../collections/payments';
import { complianceNow } from '../../compliance/clock';
import type { Db } from '../../db';
import { writeTransaction } from '../../db/write';
import { HttpError } from '../../http/errors';
import { defineRoute } from '../../http/route';
import { GATEWAY_ACTOR } from '../../imports/actor';
import { fromGatewayAmount, GatewayError, type MercadoPagoGateway, type MercadoPagoPayment } from './mercadopago';
import { mercadoPagoFromConfig, paymentConfigForOrgCode } from './org-config';
import type { PaymentGateway } from './types';

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's own payment gateway (CreateServerOptions.paymentGateway); an organisation's own account wins over it. */
    paymentGateway: PaymentGateway | undefined;
  }
}

/**
 * Mercado Pago's payment notifications. No session: the x-signature header, keyed with the
 * organisation's webhook secret, authenticates it (403 and nothing changes when it does not hold);
 * an organisation without a Mercado Pago account set up is 404. The notification only says which
 * payment changed: its state, amount, currency and our reference are read back from Mercado Pago
 * (GET /v1/payments/{id}). An approved payment is recorded through the ordinary payments path
 * (idempotent by our reference, allocated to the promises oldest first, synced to the agent); a
 * refund or charge-back reverses it; anything else is only written down (payment_notifications).
 */

const refused = () => new HttpError(403, 'webhook_signature_invalid', 'signature does not match');
const notConfigured = () => new HttpError(404, 'webhook_not_configured', 'no such webhook');

/** Statuses that undo a recorded payment (Mercado Pago's payment.status). */
const REVERSING = new Set(['refunded', 'charged_back']);

type Outcome = 'recorded' | 'duplicate' | 'reversed' | 'ignored' | 'refused';

export interface Trace {
  orgId: string;
  paymentId: string;
  payment: MercadoPagoPayment | null;
  amountMinor: number | null;
  outcome: Outcome;
  detail: string | null;
}

async function trace(db: Db, t: Trace): Promise<void> {
  await db.query(
    `INSERT INTO payment_notifications (org_id, provider, gateway_payment_id, status, reference, amount_minor, currency, outcome, detail)
     VALUES ($1, 'mercadopago', $2, $3, $4, $5, $6, $7, $8)`,
    [
      t.orgId,
      t.paymentId,
      t.payment?.status ?? null,
      t.payment?.external_reference ?? null,
      t.amountMinor,
      t.payment?.currency_id ?? null,
      t.outcome,
      t.detail,
    ],
  );
}

function parseBody(raw: Buffer): { type?: string; action?: string; data?: { id?: unknown } } {
  if (raw.length === 0) return {};
  try {
    const j = JSON.parse(raw.toString('utf8')) as unknown;
    return j && typeof j === 'object' ? (j as { type?: string; data?: { id?: unknown } }) : {};
  } catch {
    throw new HttpError(400, 'invalid_request', 'body is not JSON', 'body');
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/**
 * A payment as Mercado Pago reports it (read from its API, never from a notification's body or a
 * return URL), applied to our books and traced in payment_notifications. Idempotent: the webhook
 * and the debtor's return to our page may both bring the same payment.
 */
export async function takeMercadoPagoPayment(db: Db, orgId: string, payment: MercadoPagoPayment): Promise<Trace> {
  const t = await applyMercadoPagoPayment(db, orgId, payment);
  await trace(db, t);
  return t;
}

/** What the payment Mercado Pago reports means for our books; returns the trace to keep. */
async function applyMercadoPagoPayment(db: Db, orgId: string, payment: MercadoPagoPayment): Promise<Trace> {
  const paymentId = String(payment.id);
  const base = { orgId, paymentId, payment, amountMinor: null, detail: null };
  const meta = payment.metadata ?? {};
  const reference = payment.external_reference;
  // a payment of this Mercado Pago account that no checkout of ours made, or another organisation's
  const accountId = typeof meta.account_id === 'string' ? meta.account_id : null;
  if (!reference || !accountId) return { ...base, outcome: 'ignored', detail: 'not made by a checkout of ours (no reference or account)' };
  // a gateway account shared by organisations (the server's or the environment's): only this one's
  if (meta.org_id !== orgId) return { ...base, outcome: 'refused', detail: "another organisation's payment" };
  const now = complianceNow();

  if (payment.status === 'approved') {
    const [account] = await db.query<{ currency: string }>('SELECT currency FROM accounts WHERE id = $1 AND org_id = $2', [
      accountId,
      orgId,
    ]);
    if (!account) return { ...base, outcome: 'refused', detail: `account ${accountId} is not this organisation's` };
    const currency = CurrencyCode.safeParse(payment.currency_id);
    if (!currency.success || currency.data !== account.currency) {
      return { ...base, outcome: 'refused', detail: `paid in ${payment.currency_id}, the account is in ${account.currency}` };
    }
    let amountMinor: number;
    try {
      amountMinor = fromGatewayAmount(payment.transaction_amount, currency.data);
    } catch (e) {
      return { ...base, outcome: 'refused', detail: (e as Error).message };
    }
    const paidAt = new Date(payment.date_approved ?? payment.date_last_updated ?? now);
    try {
      const res = await writeTransaction(db, orgId, (tx) =>
        recordPayment(
          tx,
          orgId,
          {
            accountId,
            reference,
            amountMinor,
            currency: currency.data,
            paidAt: (Number.isNaN(paidAt.getTime()) ? now : paidAt).toISOString(),
          },
          now,
          GATEWAY_ACTOR,
        ),
      );
      return { ...base, amountMinor, outcome: res.created ? 'recorded' : 'duplicate' };
    } catch (e) {
      // our reference already names a different payment: written down, never recorded twice
      if (e instanceof HttpError && e.status === 409) return { ...base, amountMinor, outcome: 'refused', detail: e.message };
      throw e;
    }
  }

  if (REVERSING.has(payment.status)) {
    // the payment our reference names must be this account's (the same reference recorded by hand
    // is the same payment, idempotent by reference: its refund undoes it too)
    const [mine] = await db.query<{ accountId: string }>(
      'SELECT account_id AS "accountId" FROM payments WHERE org_id = $1 AND reference = $2',
      [orgId, reference],
    );
    if (mine && mine.accountId !== accountId) {
      return { ...base, outcome: 'refused', detail: `${payment.status}: reference ${reference} is another account's payment` };
    }
    const res = await writeTransaction(db, orgId, (tx) => reversePayment(tx, orgId, reference, now.toISOString(), now, GATEWAY_ACTOR));
    if (!res) return { ...base, outcome: 'ignored', detail: `${payment.status} before any approval was recorded` };
    return { ...base, amountMinor: res.payment.amountMinor, outcome: res.changed ? 'reversed' : 'duplicate' };
  }

  // pending, in_process, authorized, in_mediation, rejected, cancelled: nothing to record yet
  return { ...base, outcome: 'ignored', detail: payment.status_detail ?? null };
}

async function mercadoPagoForCode(db: Db, code: string, serverGateway: PaymentGateway | undefined) {
  const c = await paymentConfigForOrgCode(db, code);
  const mp: MercadoPagoGateway | null = c ? mercadoPagoFromConfig(c, serverGateway) : null;
  if (!c || !mp) throw notConfigured();
  return { orgId: c.orgId, mp };
}

export const paymentWebhookRoutes = [
  defineRoute({
    ...ROUTES.mercadoPagoWebhook,
    summary: "Mercado Pago's payment notification (Webhooks), signed with x-signature; the payment is read back from Mercado Pago",
    tags: ['webhooks', 'payments'],
    access: 'public',
    bodyRaw: true,
    responseContentType: 'text/html',
    errors: [400, 403, 404, 502],
    async handler({ db, params, query, request, reply, body }) {
      const { orgId, mp } = await mercadoPagoForCode(db, params.org, request.server.paymentGateway);
      const payload = parseBody(body as unknown as Buffer);
      // Mercado Pago signs the data.id of the URL's query string; the body's is the same resource
      const dataId = query['data.id'] ?? (payload.data?.id === undefined ? undefined : String(payload.data.id));
      const check = mp.verifyNotification({
        signature: header(request, 'x-signature'),
        requestId: header(request, 'x-request-id'),
        dataId,
      });
      // no webhook secret set: nothing can be verified, so nothing is accepted
      if (!check) throw notConfigured();
      if (!check.ok) {
        request.log.warn({ org: params.org, reason: check.reason }, 'Mercado Pago notification refused');
        throw refused();
      }
      reply.header('content-type', 'text/plain; charset=utf-8');
      const type = query.type ?? payload.type ?? query.topic;
      // merchant_order, subscription … notifications are not payments: acknowledged, nothing to do
      if (type !== 'payment' || !dataId) return 'ok';
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(dataId)) throw new HttpError(400, 'invalid_request', 'data.id is not a payment id', 'data.id');
      let payment: MercadoPagoPayment;
      try {
        payment = await mp.getPayment(dataId);
      } catch (e) {
        if (e instanceof GatewayError && e.status === 404) {
          await trace(db, { orgId, paymentId: dataId, payment: null, amountMinor: null, outcome: 'refused', detail: 'no such payment' });
          return 'ok';
        }
        // Mercado Pago retries a notification that was not answered 200/201: it comes back later
        request.log.warn({ err: e, org: params.org }, 'Mercado Pago payment could not be read');
        throw new HttpError(502, 'payment_gateway_unavailable', 'the payment could not be read from Mercado Pago');
      }
      const t = await takeMercadoPagoPayment(db, orgId, payment);
      if (t.outcome !== 'recorded' && t.outcome !== 'reversed' && t.outcome !== 'duplicate') {
        request.log.info(
          { org: params.org, payment: t.paymentId, status: payment.status, outcome: t.outcome, detail: t.detail },
          'Mercado Pago notification recorded nothing',
        );
      }
      return 'ok';
    },
  }),
];
