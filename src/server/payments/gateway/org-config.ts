import type { FastifyRequest } from 'fastify';
import type { OrgPaymentConfigInput, OrgPaymentConfigView, PaymentProvider } from '../../../shared/domain/payment-gateway';
import type { Db } from '../../db';
import { isMercadoPago, mercadoPagoGateway, type MercadoPagoGateway } from './mercadopago';
import type { PaymentGateway } from './types';

/**
 * Which gateway account an organisation takes payments through, first found wins:
 *  1. its own (org_payment_config, set by an administrator: PUT /api/v1/org/payments);
 *  2. the server's (CreateServerOptions.paymentGateway: one deployment, or a test's local server);
 *  3. the environment's (MERCADOPAGO_ACCESS_TOKEN, MERCADOPAGO_WEBHOOK_SECRET, MERCADOPAGO_BASE_URL).
 * The payment's own metadata must name the organisation the notification URL names, so a shared
 * account (2, 3) never records one organisation's payment in another.
 */
export interface OrgPaymentConfig {
  orgId: string;
  code: string;
  provider: PaymentProvider | null;
  accessToken: string | null;
  webhookSecret: string | null;
  baseUrl: string | null;
}

const COLUMNS = `o.id AS "orgId", o.code, c.provider, c.access_token AS "accessToken", c.webhook_secret AS "webhookSecret",
  c.base_url AS "baseUrl"`;

export async function paymentConfigForOrg(db: Db, orgId: string): Promise<OrgPaymentConfig | null> {
  const [row] = await db.query<OrgPaymentConfig>(
    `SELECT ${COLUMNS} FROM organizations o LEFT JOIN org_payment_config c ON c.org_id = o.id WHERE o.id = $1`,
    [orgId],
  );
  return row ?? null;
}

export async function paymentConfigForOrgCode(db: Db, code: string): Promise<OrgPaymentConfig | null> {
  const [row] = await db.query<OrgPaymentConfig>(
    `SELECT ${COLUMNS} FROM organizations o LEFT JOIN org_payment_config c ON c.org_id = o.id WHERE o.code = $1`,
    [code],
  );
  return row ?? null;
}

/** Where the organisation's notifications come in: PUBLIC_BASE_URL (the address the gateway reaches) + the route. */
export function notificationUrl(orgCode: string, publicBase = process.env.PUBLIC_BASE_URL): string {
  // source_news=webhooks: Mercado Pago sends this URL its signed Webhooks only, not the older unsigned IPN
  return `${(publicBase || '').replace(/\/$/, '')}/api/v1/webhooks/${orgCode}/mercadopago?source_news=webhooks`;
}

function fromEnv(code: string, env: NodeJS.ProcessEnv): MercadoPagoGateway | null {
  if (!env.MERCADOPAGO_ACCESS_TOKEN) return null;
  return mercadoPagoGateway({
    accessToken: env.MERCADOPAGO_ACCESS_TOKEN,
    webhookSecret: env.MERCADOPAGO_WEBHOOK_SECRET || null,
    baseUrl: env.MERCADOPAGO_BASE_URL || null,
    notificationUrl: env.PUBLIC_BASE_URL ? notificationUrl(code, env.PUBLIC_BASE_URL) : null,
  });
}

/** The organisation's gateway (1, 2, 3 above), or null when it has none. */
export function gatewayFromConfig(
  c: OrgPaymentConfig,
  serverGateway?: PaymentGateway,
  env: NodeJS.ProcessEnv = process.env,
): PaymentGateway | null {
  if (c.provider === 'mercadopago' && c.accessToken) {
    return mercadoPagoGateway({
      accessToken: c.accessToken,
      webhookSecret: c.webhookSecret,
      baseUrl: c.baseUrl,
      notificationUrl: env.PUBLIC_BASE_URL ? notificationUrl(c.code, env.PUBLIC_BASE_URL) : null,
    });
  }
  return serverGateway ?? fromEnv(c.code, env);
}

/** The gateway the debtor of this organisation pays through (the portal's createCheckout), or null. */
export async function paymentGatewayForOrg(db: Db, orgId: string, serverGateway?: PaymentGateway): Promise<PaymentGateway | null> {
  const c = await paymentConfigForOrg(db, orgId);
  return c ? gatewayFromConfig(c, serverGateway) : null;
}

/** Same, for a route: the server's own gateway is the app option (request.server.paymentGateway). */
export function paymentGatewayFor(request: FastifyRequest, db: Db, orgId: string): Promise<PaymentGateway | null> {
  return paymentGatewayForOrg(db, orgId, request.server.paymentGateway);
}

/** The Mercado Pago account whose notifications this organisation's webhook accepts, or null. */
export function mercadoPagoFromConfig(c: OrgPaymentConfig, serverGateway?: PaymentGateway): MercadoPagoGateway | null {
  const g = gatewayFromConfig(c, serverGateway);
  return isMercadoPago(g) ? g : null;
}

export function paymentViewOf(c: OrgPaymentConfig): OrgPaymentConfigView {
  return {
    provider: c.provider,
    accessTokenSet: !!c.accessToken,
    webhookSecretSet: !!c.webhookSecret,
    baseUrl: c.baseUrl,
    notificationUrl: notificationUrl(c.code),
  };
}

export async function saveOrgPaymentConfig(db: Db, orgId: string, userId: string | null, c: OrgPaymentConfigInput): Promise<void> {
  await db.query(
    `INSERT INTO org_payment_config (org_id, provider, access_token, webhook_secret, base_url, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (org_id) DO UPDATE SET provider = $2, access_token = $3, webhook_secret = $4, base_url = $5, updated_by = $6,
       updated_at = now()`,
    [orgId, c.provider, c.accessToken, c.webhookSecret, c.baseUrl, userId],
  );
}
