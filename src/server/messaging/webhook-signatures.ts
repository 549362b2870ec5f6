import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature (X-Twilio-Signature), as Twilio documents it for form-encoded
 * webhooks: the full URL Twilio called (scheme, host, port if any, path and query string), then
 * every POST parameter sorted by name with its value appended straight after its name (no
 * separators; a repeated name once per value, values sorted), HMAC-SHA1 with the account's auth
 * token, base64.
 */
export function twilioSignature(url: string, params: ReadonlyArray<readonly [string, string]>, authToken: string): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a === b ? cmp(av, bv) : cmp(a, b)));
  const data = url + sorted.map(([k, v]) => k + v).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Code-unit order, as Twilio's own helper libraries sort (not the locale's order). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A Twilio signature is accepted for the URL as configured and, because Twilio signs the URL it
 * called and its libraries try both, for the same URL with the default port written out or left
 * out (https://host/x and https://host:443/x).
 */
export function verifyTwilio(
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
  authToken: string,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  return urlVariants(url).some((u) => safeEqual(twilioSignature(u, params, authToken), signature));
}

function urlVariants(url: string): string[] {
  const out = [url];
  try {
    const u = new URL(url);
    const defaultPort = u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '';
    if (u.port === '' && defaultPort) {
      out.push(`${u.protocol}//${u.username ? `${u.username}:${u.password}@` : ''}${u.hostname}:${defaultPort}${u.pathname}${u.search}`);
    } else if (u.port === defaultPort) {
      out.push(url.replace(`:${defaultPort}`, ''));
    }
  } catch {
    /* not a URL: only the string as given */
  }
  return out;
}

/** WhatsApp Cloud API (Meta webhooks): X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256 of the raw body with the app secret. */
export function metaSignature(rawBody: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export function verifyMeta(rawBody: Buffer, appSecret: string, header: string | undefined): boolean {
  if (!header) return false;
  return safeEqual(
    metaSignature(rawBody, appSecret),
    header
      .trim()
      .toLowerCase()
      .replace(/^sha256=/, 'sha256='),
  );
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
