import type { FetchLike, RetryPolicy } from './types';

export interface HttpAnswer {
  status: number;
  json: unknown;
  attempts: number;
}

export class ProviderUnreachable extends Error {
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`provider unreachable after ${attempts} attempt(s): ${(cause as Error)?.message ?? String(cause)}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const retryOnStatus = (status: number) => status >= 500 || status === 429;

/**
 * POST with retries on network errors, timeouts and 5xx/429 (exponential backoff); a 4xx other
 * than 429 is the request's fault and is answered at once, never retried — unless `retryable`
 * says otherwise (a provider that reports throttling as a 400 with its own code).
 */
export async function postWithRetry(
  fetchImpl: FetchLike,
  url: string,
  headers: Record<string, string>,
  body: string,
  policy: RetryPolicy,
  retryable: (status: number, json: unknown) => boolean = retryOnStatus,
): Promise<HttpAnswer> {
  let lastError: unknown = null;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) await sleep(policy.baseDelayMs * 2 ** (attempt - 2));
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new Error(`timed out after ${policy.timeoutMs} ms`)), policy.timeoutMs);
    try {
      const res = await fetchImpl(url, { method: 'POST', headers, body, signal: ctl.signal });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = { raw: text.slice(0, 500) };
      }
      if (!retryable(res.status, json) || attempt === policy.attempts) return { status: res.status, json, attempts: attempt };
      lastError = new Error(`HTTP ${res.status}`);
    } catch (e) {
      lastError = e;
    } finally {
      clearTimeout(timer);
    }
  }
  throw new ProviderUnreachable(policy.attempts, lastError);
}
