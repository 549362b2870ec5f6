import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Mercado Pago's webhook signature, as its "Webhooks → validate the origin of the notification"
 * guide documents it. The x-signature header is "ts=<timestamp>,v1=<hex>"; v1 is the hex
 * HMAC-SHA256, keyed with the application's webhook secret, of the manifest
 *   id:<data.id>;request-id:<x-request-id>;ts:<ts>;
 * where data.id is the one in the notification URL's query string (lower-cased when it is
 * alphanumeric) and a part whose value the notification lacks is left out entirely.
 */
export function mercadoPagoManifest(dataId: string | null | undefined, requestId: string | null | undefined, ts: string): string {
  let m = '';
  if (dataId) m += `id:${/^[a-z0-9]+$/i.test(dataId) ? dataId.toLowerCase() : dataId};`;
  if (requestId) m += `request-id:${requestId};`;
  return `${m}ts:${ts};`;
}

export function mercadoPagoSignature(secret: string, manifest: string): string {
  return createHmac('sha256', secret).update(manifest, 'utf8').digest('hex');
}

/** The parts of an x-signature header ("ts=1704908010,v1=618c…"), or null when it has not both. */
export function parseMercadoPagoSignature(header: string | undefined): { ts: string; v1: string } | null {
  if (!header) return null;
  const parts = new Map<string, string>();
  for (const piece of header.split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const ts = parts.get('ts');
  const v1 = parts.get('v1');
  return ts && /^\d{1,16}$/.test(ts) && v1 && /^[0-9a-f]{64}$/i.test(v1) ? { ts, v1: v1.toLowerCase() } : null;
}

export interface MercadoPagoNotificationHeaders {
  signature: string | undefined;
  requestId: string | undefined;
  dataId: string | null | undefined;
}

export type SignatureCheck = { ok: true; ts: string } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'stale' };

/**
 * Whether a notification is Mercado Pago's. The comparison is constant-time on equal-length
 * digests. `maxAgeMs` refuses old timestamps when set; by default any age passes, because
 * recording is idempotent and the payment's state is read back from Mercado Pago's API, so a
 * replayed notification changes nothing (and Mercado Pago's own retries come hours later).
 */
export function verifyMercadoPagoSignature(
  h: MercadoPagoNotificationHeaders,
  secret: string,
  opts: { now?: Date; maxAgeMs?: number } = {},
): SignatureCheck {
  if (!h.signature) return { ok: false, reason: 'missing' };
  const sig = parseMercadoPagoSignature(h.signature);
  if (!sig) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mercadoPagoSignature(secret, mercadoPagoManifest(h.dataId, h.requestId, sig.ts)), 'hex');
  const given = Buffer.from(sig.v1, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'mismatch' };
  if (opts.maxAgeMs !== undefined) {
    // Mercado Pago has sent ts in seconds and in milliseconds: a 13-digit value is milliseconds
    const ms = sig.ts.length >= 13 ? Number(sig.ts) : Number(sig.ts) * 1000;
    if (Math.abs((opts.now ?? new Date()).getTime() - ms) > opts.maxAgeMs) return { ok: false, reason: 'stale' };
  }
  return { ok: true, ts: sig.ts };
}
