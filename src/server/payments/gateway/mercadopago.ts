import { CurrencyCode, currencyDigits, minorToDecimal } from '../../../shared/domain/money';
import type { Checkout, CheckoutRequest, PaymentGateway } from './types';
import { verifyMercadoPagoSignature, type MercadoPagoNotificationHeaders, type SignatureCheck } from './mercadopago-signature';

/**
 * Mercado Pago Checkout Pro (AR, MX, CO, CL, PE, BR …), to its documented REST API: a payment
 * preference (POST /checkout/preferences) gives the page the debtor pays on (init_point); the
 * payment's news comes as a signed webhook naming the payment, whose state we read back with
 * GET /v1/payments/{id} — the notification's body is never trusted for amounts. We never see card
 * data. What we followed is written down in docs/payments-gateway.md.
 */
export const MERCADO_PAGO_API = 'https://api.mercadopago.com';

export interface MercadoPagoConfig {
  accessToken: string;
  /** Verifies the notifications (Your integrations → Webhooks → secret signature). */
  webhookSecret?: string | null;
  /** API root; default https://api.mercadopago.com (a test server's address in tests). */
  baseUrl?: string | null;
  /** Where Mercado Pago sends the payment's notifications (our /api/v1/webhooks/:org/mercadopago). */
  notificationUrl?: string | null;
  timeoutMs?: number;
}

/** The part of Mercado Pago's payment resource we read. */
export interface MercadoPagoPayment {
  id: number | string;
  status: string;
  status_detail?: string | null;
  transaction_amount: number;
  currency_id: string;
  external_reference: string | null;
  date_approved?: string | null;
  date_last_updated?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** The gateway did not do what was asked: `transient` when trying again later may work (network, 5xx, 429). */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export interface MercadoPagoGateway extends PaymentGateway {
  readonly name: 'mercadopago';
  getPayment(id: string): Promise<MercadoPagoPayment>;
  /** Null when no webhook secret is configured: notifications cannot be verified, so none is accepted. */
  verifyNotification(h: MercadoPagoNotificationHeaders): SignatureCheck | null;
}

export const isMercadoPago = (g: PaymentGateway | null | undefined): g is MercadoPagoGateway =>
  !!g && g.name === 'mercadopago' && typeof (g as Partial<MercadoPagoGateway>).getPayment === 'function';

/** Minor units to the decimal amount Mercado Pago takes (unit_price): CLP 15000 → 15000, MXN 150050 → 1500.5. */
export function toGatewayAmount(minor: number, currency: CurrencyCode): number {
  return Number(minorToDecimal(minor, currency));
}

/**
 * Mercado Pago's decimal amount to minor units, refusing an amount with more decimals than the
 * currency is paid in (never rounding a debtor's payment silently): 1500.5 MXN → 150050.
 */
export function fromGatewayAmount(amount: number, currency: CurrencyCode): number {
  if (!Number.isFinite(amount) || amount < 0) throw new GatewayError(`amount ${amount} is not a payment amount`, null, false);
  const minor = Math.round(amount * 10 ** currencyDigits(currency));
  if (!Number.isSafeInteger(minor) || Number(minorToDecimal(minor, currency)) !== amount) {
    throw new GatewayError(`amount ${amount} has more decimals than ${currency} is paid in`, null, false);
  }
  return minor;
}

export function mercadoPagoGateway(config: MercadoPagoConfig): MercadoPagoGateway {
  const base = (config.baseUrl || MERCADO_PAGO_API).replace(/\/$/, '');
  const timeoutMs = config.timeoutMs ?? 10_000;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${config.accessToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          // the same attempt sent twice (a retry after a timeout) is one preference
          ...(idempotencyKey ? { 'x-idempotency-key': idempotencyKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new GatewayError(`Mercado Pago did not answer ${method} ${path}: ${(e as Error).message}`, null, true);
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 300);
      try {
        const j = JSON.parse(text) as { message?: string; error?: string };
        message = j.message ?? j.error ?? message;
      } catch {
        /* not JSON: the text as it came */
      }
      throw new GatewayError(
        `Mercado Pago ${method} ${path}: ${res.status} ${message}`,
        res.status,
        res.status >= 500 || res.status === 429,
      );
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new GatewayError(`Mercado Pago ${method} ${path}: the answer is not JSON`, res.status, true);
    }
  }

  return {
    name: 'mercadopago',
    async createCheckout(req: CheckoutRequest): Promise<Checkout> {
      const currency = CurrencyCode.safeParse(req.currency);
      if (!currency.success) throw new GatewayError(`currency ${req.currency} is not one we collect in`, null, false);
      if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) {
        throw new GatewayError(`amount ${req.amountMinor} is not a positive amount in minor units`, null, false);
      }
      const preference = {
        items: [
          {
            id: req.reference,
            title: req.description.slice(0, 256),
            quantity: 1,
            currency_id: currency.data,
            unit_price: toGatewayAmount(req.amountMinor, currency.data),
          },
        ],
        // echoed back on the payment: how its notification finds the attempt again
        external_reference: req.reference,
        // kept on the payment too (Mercado Pago copies a preference's metadata to its payments):
        // the account the payment is for, checked against the organisation the webhook URL names
        metadata: { org_id: req.orgId, account_id: req.accountId, promise_id: req.promiseId },
        back_urls: { success: req.returnUrl, pending: req.returnUrl, failure: req.returnUrl },
        auto_return: 'approved',
        ...(config.notificationUrl ? { notification_url: config.notificationUrl } : {}),
      };
      const p = await call<{ id?: string; init_point?: string }>('POST', '/checkout/preferences', preference, req.reference);
      if (!p.id || !p.init_point) throw new GatewayError('Mercado Pago answered a preference without id or init_point', 201, false);
      return { url: p.init_point, gatewayRef: p.id };
    },
    async getPayment(id: string): Promise<MercadoPagoPayment> {
      return call<MercadoPagoPayment>('GET', `/v1/payments/${encodeURIComponent(id)}`);
    },
    verifyNotification(h) {
      return config.webhookSecret ? verifyMercadoPagoSignature(h, config.webhookSecret) : null;
    },
  };
}
