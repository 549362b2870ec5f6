/**
 * Retry delay after the n-th consecutive failure (1-based): exponential with "full jitter"
 * (a uniform draw below the exponential cap), so a classroom of laptops that lost the network
 * together does not hammer the server together when it comes back.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

export function backoffCeiling(failures: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  if (failures <= 0) return 0;
  return Math.min(o.maxMs, o.baseMs * 2 ** Math.min(failures - 1, 30));
}

/** `random` in [0, 1); the floor of half the ceiling keeps retries from bunching at zero. */
export function backoffDelay(failures: number, random: () => number = Math.random, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = backoffCeiling(failures, o);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
