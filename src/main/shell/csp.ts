/**
 * The Content-Security-Policy the Electron shell sends with the renderer's documents. The
 * renderer talks to the main side over IPC; the only network it opens itself is the softphone's
 * SIP WebSocket, and the configured server is listed for completeness. Nothing else: no
 * plugins (`object-src 'none'`), no <base> rewriting (`base-uri 'none'`), no framing, no forms
 * posting elsewhere.
 */
export interface CspInput {
  /** The central server the workstation is configured for. */
  serverUrl?: string | null | undefined;
  /** SIP WebSocket URLs (the agent's settings, the server's SIP credentials). */
  sipUrls?: ReadonlyArray<string | null | undefined>;
}

const NETWORK = new Set(['http:', 'https:', 'ws:', 'wss:']);

/** scheme://host[:port] of a URL the renderer may connect to, or null when it is not one. */
export function connectSource(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (!NETWORK.has(u.protocol) || !u.hostname) return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** The sources of connect-src, beside 'self': each configured host once, sorted (stable for comparisons). */
export function connectSources(input: CspInput): string[] {
  const out = new Set<string>();
  for (const url of [input.serverUrl, ...(input.sipUrls ?? [])]) {
    const src = connectSource(url);
    if (src) out.add(src);
  }
  return [...out].sort();
}

export function buildCsp(input: CspInput): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React writes style attributes
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' blob: mediastream:",
    ["connect-src 'self'", ...connectSources(input)].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "worker-src 'self'",
  ].join('; ');
}
