import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RecordedRequest } from './fake-providers';

/**
 * A local Mercado Pago speaking the part of its documented REST API that Checkout Pro uses:
 * POST /checkout/preferences and GET /v1/payments/{id}, behind a bearer access token (401
 * otherwise), with Mercado Pago's JSON shapes and error bodies. A test plays the debtor and the
 * gateway with pay() (a payment against a preference, as the checkout page would make it) and
 * setStatus() (a refund, a charge-back), and notify() sends the webhook as Mercado Pago does: a
 * POST to the preference's notification_url with ?data.id=…&type=payment, the x-request-id header
 * and x-signature "ts=…,v1=HMAC-SHA256(secret, id:…;request-id:…;ts:…;)".
 */
export interface FakePreference {
  id: string;
  init_point: string;
  sandbox_init_point: string;
  items: Array<{ id?: string; title: string; quantity: number; unit_price: number; currency_id: string }>;
  external_reference: string | null;
  metadata: Record<string, unknown>;
  back_urls: Record<string, string> | null;
  auto_return: string | null;
  notification_url: string | null;
  date_created: string;
}

export interface FakePayment {
  id: number;
  status: string;
  status_detail: string;
  transaction_amount: number;
  currency_id: string;
  external_reference: string | null;
  metadata: Record<string, unknown>;
  date_created: string;
  date_approved: string | null;
  date_last_updated: string;
  preference_id: string;
}

export interface NotifyOptions {
  /** Signs with this secret instead of the account's (a forger's). */
  secret?: string;
  /** The x-signature header as given (or null: none sent). */
  signature?: string | null;
  /** The ts the signature is made with (default now, in seconds). */
  ts?: string;
  /** The data.id put in the URL, when it should differ from the signed one. */
  urlDataId?: string;
  /** Overrides the notification URL (default: the preference's notification_url). */
  url?: string;
}

export interface FakeMercadoPago {
  url: string;
  accessToken: string;
  webhookSecret: string;
  requests: RecordedRequest[];
  preferences: Map<string, FakePreference>;
  payments: Map<number, FakePayment>;
  pay(preferenceId: string, opts?: { status?: string; statusDetail?: string; amount?: number }): FakePayment;
  setStatus(paymentId: number, status: string, statusDetail?: string): void;
  notify(paymentId: number, opts?: NotifyOptions): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const mpError = (status: number, error: string, message: string) => ({ message, error, status, cause: [] });

/** Mercado Pago refuses a decimal unit_price in the currencies paid without cents. */
const WHOLE_CURRENCIES = new Set(['CLP', 'COP']);

export async function startFakeMercadoPago(opts: {
  accessToken: string;
  webhookSecret: string;
  userId?: number;
}): Promise<FakeMercadoPago> {
  const requests: RecordedRequest[] = [];
  const preferences = new Map<string, FakePreference>();
  const payments = new Map<number, FakePayment>();
  const collector = opts.userId ?? 202809963;
  let nextPayment = 1_310_000_000;
  let base = '';

  function createPreference(body: string, res: ServerResponse) {
    let p: Partial<FakePreference> & { items?: unknown };
    try {
      p = JSON.parse(body) as typeof p;
    } catch {
      return send(res, 400, mpError(400, 'bad_request', 'invalid json'));
    }
    const items = Array.isArray(p.items) ? (p.items as FakePreference['items']) : [];
    if (items.length === 0) return send(res, 400, mpError(400, 'invalid_items', 'items needed'));
    for (const it of items) {
      if (typeof it.unit_price !== 'number' || !(it.unit_price > 0))
        return send(res, 400, mpError(400, 'invalid_unit_price', 'unit_price invalid'));
      if (!Number.isInteger(it.quantity) || it.quantity < 1) return send(res, 400, mpError(400, 'invalid_quantity', 'quantity invalid'));
      if (typeof it.currency_id !== 'string') return send(res, 400, mpError(400, 'invalid_currency_id', 'currency_id invalid'));
      if (WHOLE_CURRENCIES.has(it.currency_id) && !Number.isInteger(it.unit_price)) {
        return send(res, 400, mpError(400, 'invalid_unit_price', `unit_price must be an integer for ${it.currency_id}`));
      }
      if (typeof it.title !== 'string' || it.title === '') return send(res, 400, mpError(400, 'invalid_title', 'title needed'));
    }
    if (p.auto_return && !p.back_urls?.success) {
      return send(res, 400, mpError(400, 'invalid_auto_return', 'back_url.success must be defined'));
    }
    const id = `${collector}-${randomUUID()}`;
    const pref: FakePreference = {
      id,
      init_point: `${base}/checkout/v1/redirect?pref_id=${id}`,
      sandbox_init_point: `${base}/checkout/v1/redirect?pref_id=${id}&sandbox=1`,
      items,
      external_reference: p.external_reference ?? null,
      metadata: p.metadata ?? {},
      back_urls: p.back_urls ?? null,
      auto_return: p.auto_return ?? null,
      notification_url: p.notification_url ?? null,
      date_created: new Date().toISOString(),
    };
    preferences.set(id, pref);
    send(res, 201, { ...pref, collector_id: collector, client_id: '6295877106812064' });
  }

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '';
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (req.headers.authorization !== `Bearer ${opts.accessToken}`) {
      return send(res, 401, mpError(401, 'unauthorized', 'invalid access token'));
    }
    if (req.method === 'POST' && path === '/checkout/preferences') return createPreference(body, res);
    const m = /^\/v1\/payments\/([^/?]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const p = payments.get(Number(m[1]));
      return p ? send(res, 200, { ...p, collector_id: collector }) : send(res, 404, mpError(404, 'not_found', 'Payment not found'));
    }
    send(res, 404, mpError(404, 'not_found', `no resource ${req.method} ${path}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr !== 'object') throw new Error('fake Mercado Pago has no port');
  base = `http://127.0.0.1:${addr.port}`;

  return {
    url: base,
    accessToken: opts.accessToken,
    webhookSecret: opts.webhookSecret,
    requests,
    preferences,
    payments,
    pay(preferenceId, o = {}) {
      const pref = preferences.get(preferenceId);
      if (!pref) throw new Error(`no preference ${preferenceId}`);
      const status = o.status ?? 'approved';
      const now = new Date().toISOString();
      const payment: FakePayment = {
        id: nextPayment++,
        status,
        status_detail:
          o.statusDetail ??
          (status === 'approved' ? 'accredited' : status === 'rejected' ? 'cc_rejected_other_reason' : 'pending_contingency'),
        transaction_amount: o.amount ?? pref.items.reduce((s, it) => s + it.unit_price * it.quantity, 0),
        currency_id: pref.items[0]!.currency_id,
        external_reference: pref.external_reference,
        metadata: pref.metadata,
        date_created: now,
        date_approved: status === 'approved' ? now : null,
        date_last_updated: now,
        preference_id: preferenceId,
      };
      payments.set(payment.id, payment);
      return payment;
    },
    setStatus(paymentId, status, statusDetail) {
      const p = payments.get(paymentId);
      if (!p) throw new Error(`no payment ${paymentId}`);
      p.status = status;
      p.status_detail = statusDetail ?? status;
      p.date_last_updated = new Date().toISOString();
    },
    async notify(paymentId, o = {}) {
      const p = payments.get(paymentId);
      const pref = p ? preferences.get(p.preference_id) : undefined;
      const target = o.url ?? pref?.notification_url;
      if (!target) throw new Error('no notification_url to notify');
      const dataId = String(paymentId);
      const url = new URL(target);
      url.searchParams.set('data.id', o.urlDataId ?? dataId);
      url.searchParams.set('type', 'payment');
      const requestId = randomUUID();
      const ts = o.ts ?? String(Math.floor(Date.now() / 1000));
      // written out here as Mercado Pago's guide gives it, not with the server's own helper
      const manifest = `id:${dataId};request-id:${requestId};ts:${ts};`;
      const v1 = createHmac('sha256', o.secret ?? opts.webhookSecret)
        .update(manifest)
        .digest('hex');
      const signature = o.signature === undefined ? `ts=${ts},v1=${v1}` : o.signature;
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': requestId,
          ...(signature === null ? {} : { 'x-signature': signature }),
        },
        body: JSON.stringify({
          action: 'payment.updated',
          api_version: 'v1',
          data: { id: dataId },
          date_created: new Date().toISOString(),
          id: Math.floor(Math.random() * 1e11),
          live_mode: false,
          type: 'payment',
          user_id: String(collector),
        }),
      });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
