import type { ModelFailureKind } from '../support/ports.js';

/** Where and how to reach an OpenAI-compatible API: what the chat and embeddings clients are built with. */
export interface OpenAiClientOptions {
  /** The API base, e.g. https://api.openai.com/v1 or http://localhost:11434/v1 (Ollama): LLM_BASE_URL. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Attempts for a 429 or a 5xx, as long as the caller's signal allows (each client has its default). */
  attempts?: number;
  fetch?: typeof fetch;
}

export interface OpenAiPostOptions {
  url: string;
  body: unknown;
  apiKey?: string;
  /** Attempts for a 429 or a 5xx, as long as the signal allows. */
  attempts: number;
  signal: AbortSignal;
  fetch?: typeof fetch;
  /** How the endpoint is named in error messages ("the model", "the embeddings endpoint"). */
  name: string;
  /** Builds the error thrown for a failure of `kind`. */
  fail: (message: string, kind: ModelFailureKind, status?: number) => Error;
}

/** A wait longer than this is not worth it: callers have deadlines of a few seconds at most. */
const RETRY_AFTER_MAX_MS = 5_000;

/**
 * POSTs JSON to an OpenAI-compatible endpoint and returns the body of its 2xx answer. A 429 is
 * retried after its `retry-after`, a 5xx after a short pause, both only while the signal allows;
 * other statuses and unreachable hosts fail at once.
 */
export async function postOpenAi(options: OpenAiPostOptions): Promise<string> {
  const { signal, name, fail } = options;
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    signal.throwIfAborted();
    const response = await send(options);
    if (response.ok) return response.text();
    const body = await response.text().catch(() => '');
    if (response.status === 429) {
      lastError = fail(`${name} is rate-limited (429)`, 'rate_limited', 429);
      const wait = retryAfterMs(response.headers.get('retry-after'));
      if (wait === undefined || wait > RETRY_AFTER_MAX_MS) throw lastError;
      await sleep(wait, signal);
      continue;
    }
    lastError = fail(
      `${name} answered ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`,
      'http',
      response.status,
    );
    if (response.status < 500) throw lastError;
    await sleep(200 * attempt, signal);
  }
  throw lastError ?? fail(`${name} did not answer`, 'network');
}

async function send(options: OpenAiPostOptions): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  try {
    return await doFetch(options.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw options.fail(`${options.name} could not be reached: ${(error as Error).message}`, 'network');
  }
}

/** `{baseUrl}/{path}` whether or not the base URL ends with a slash. */
export function endpointUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}

/** `retry-after` in ms: delta seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
