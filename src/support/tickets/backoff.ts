export interface BackoffOptions {
  /** The delay before the second attempt; each later one doubles it. */
  baseMs: number;
  /** No delay is longer than this (before a desk's own Retry-After). */
  maxMs: number;
}

/** With the default 8 attempts: retries over roughly half an hour to an hour before a ticket is marked failed. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 30_000, maxMs: 30 * 60_000 };

/**
 * How long to wait after failed attempt number `attempt` (1-based): exponential, with half of it
 * random so replicas that failed together do not retry together, and never sooner than the desk's
 * own `retryAfterMs`.
 */
export function retryDelayMs(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
  return retryAfterMs !== undefined && retryAfterMs > jittered ? Math.round(retryAfterMs) : jittered;
}
