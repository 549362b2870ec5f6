import { z } from 'zod';

/** The gateways an organisation can take payments through (one adapter so far: docs/payments-gateway.md). */
export const PaymentProvider = z.enum(['mercadopago']);
export type PaymentProvider = z.infer<typeof PaymentProvider>;

/**
 * What an administrator sends for the organisation's gateway account; secrets are write-only
 * (never answered back). baseUrl is the gateway's API root (default https://api.mercadopago.com),
 * set only for a sandbox or a test server.
 */
export const OrgPaymentConfigInput = z
  .object({
    provider: PaymentProvider,
    accessToken: z.string().min(16).max(300).nullable(),
    webhookSecret: z.string().min(16).max(300).nullable(),
    baseUrl: z
      .string()
      .url()
      .regex(/^https?:\/\//, 'an http(s) URL')
      .max(300)
      .nullable(),
  })
  .strict();
export type OrgPaymentConfigInput = z.infer<typeof OrgPaymentConfigInput>;

export const OrgPaymentConfigView = z.object({
  provider: PaymentProvider.nullable(),
  accessTokenSet: z.boolean(),
  webhookSecretSet: z.boolean(),
  baseUrl: z.string().nullable(),
  /** The address to give the gateway for its notifications (Mercado Pago: Your integrations → Webhooks). */
  notificationUrl: z.string(),
});
export type OrgPaymentConfigView = z.infer<typeof OrgPaymentConfigView>;

/** Mercado Pago's notification names its resource in the query string too (?data.id=…&type=payment), which is what it signs. */
export const MercadoPagoWebhookQuery = z
  .object({
    'data.id': z.string().max(100).optional(),
    type: z.string().max(100).optional(),
    topic: z.string().max(100).optional(),
    id: z.string().max(100).optional(),
    source_news: z.string().max(40).optional(),
  })
  .passthrough();
