import type { FetchFunction } from '@slack/web-api';
import { DelegateBackoff, handleWhen, retry } from 'cockatiel';
import { keepAliveFetch } from './keep-alive-fetch.js';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/** Answers worth sending again: Slack busy (429) or failing for a moment (5xx). */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

export interface RespondRetryOptions {
  /** Posts after the first; 4 by default (about 7.5 s of waiting in all, longer if Slack asks). */
  retries?: number;
  /** The first wait; each next one doubles, up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A 429 whose Retry-After is longer than this is not waited for: the post fails as Slack answered. */
  maxRetryAfterMs?: number;
}

/**
 * The fetch given to Bolt. Web API calls (under `slackApiUrl`) go out as they are: the WebClient
 * retries those itself. Everything else Bolt fetches is a post to a response_url — `respond()`,
 * which brings the asker the answer card in place of "Looking it up…", and every notice — and
 * Bolt does not retry it: one 503 or dropped connection from Slack and the card was lost while
 * the question sat answered in the database. Such a post is sent again after a connection error, a
 * 5xx, or a 429 (after its Retry-After), with growing waits; any other answer (a 404 `expired_url`
 * or `used_url`, a 400) is final and comes back as it was. A post that failed on its way back
 * may have been applied: sent again, an ephemeral notice can show twice, which beats a lost card
 * (replacing the original, as the answer card does, is the same either way).
 */
export function boltFetch(slackApiUrl: string, options: RespondRetryOptions = {}): FetchFunction {
  const initialDelay = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 4_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
  const shouldRetry = handleWhen((error) => error.name !== 'AbortError').orWhenResult((result) => {
    const response = result as FetchResponse;
    if (!TRANSIENT_STATUSES.has(response.status)) return false;
    const after = retryAfterMs(response);
    return after === undefined || after <= maxRetryAfter;
  });
  const policy = retry(shouldRetry, {
    maxAttempts: options.retries ?? 4,
    backoff: new DelegateBackoff((context: { attempt: number; result: unknown }) => {
      const last = context.result as { value?: FetchResponse };
      const exponential = Math.min(maxDelay, initialDelay * 2 ** (context.attempt - 1));
      return (last.value && retryAfterMs(last.value)) ?? exponential;
    }),
  });
  return (input, init) => {
    const url = input instanceof URL ? input.href : input;
    if (url.startsWith(slackApiUrl)) return keepAliveFetch(input, init);
    return policy.execute(() => keepAliveFetch(input, init), init?.signal ?? undefined);
  };
}

/** Slack's Retry-After (seconds) in milliseconds, when it gave one. */
function retryAfterMs(response: FetchResponse): number | undefined {
  const header = response.headers.get('retry-after');
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
