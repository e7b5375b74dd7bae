import { type ChatMessage, type ChatModel, ChatModelError } from '../support/replies/index.js';

export interface OpenAiChatModelOptions {
  /** The API base, e.g. https://api.openai.com/v1 or http://localhost:11434/v1 (Ollama). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Attempts for a 429 or a 5xx, as long as the caller's signal allows (default 3). */
  attempts?: number;
  fetch?: typeof fetch;
}

/** A wait longer than this is not worth it: the reply has a deadline of a few seconds. */
const RETRY_AFTER_MAX_MS = 5_000;

/**
 * Any OpenAI-compatible `POST {baseUrl}/chat/completions` (OpenAI, Ollama, vLLM, llama.cpp
 * server, LM Studio). A 429 is retried after its `retry-after`, a 5xx after a short pause, both
 * only while the caller's deadline (its signal) allows.
 */
export class OpenAiChatModel implements ChatModel {
  readonly model: string;
  private readonly url: string;

  constructor(private readonly options: OpenAiChatModelOptions) {
    this.model = options.model;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  async complete(messages: ChatMessage[], { signal }: { signal: AbortSignal }): Promise<string> {
    const attempts = this.options.attempts ?? 3;
    let lastError: ChatModelError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      signal.throwIfAborted();
      const response = await this.post(messages, signal);
      if (response.ok) return parseCompletion(await response.text());
      const body = await response.text().catch(() => '');
      if (response.status === 429) {
        lastError = new ChatModelError(`the model is rate-limited (429)`, 'rate_limited', 429);
        const wait = retryAfterMs(response.headers.get('retry-after'));
        if (wait === undefined || wait > RETRY_AFTER_MAX_MS) throw lastError;
        await sleep(wait, signal);
        continue;
      }
      lastError = new ChatModelError(
        `the model answered ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`,
        'http',
        response.status,
      );
      if (response.status < 500) throw lastError;
      await sleep(200 * attempt, signal);
    }
    throw lastError ?? new ChatModelError('the model did not answer', 'network');
  }

  private async post(messages: ChatMessage[], signal: AbortSignal): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    try {
      return await doFetch(this.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.model, messages, temperature: 0, stream: false }),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ChatModelError(`the model could not be reached: ${(error as Error).message}`, 'network');
    }
  }
}

/** The assistant's text of a chat completion, or a malformed-answer error. */
export function parseCompletion(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ChatModelError('the model answered with something that is not JSON', 'malformed');
  }
  const content = (json as { choices?: Array<{ message?: { content?: unknown } }> })?.choices?.[0]?.message
    ?.content;
  if (typeof content !== 'string' || !content.trim())
    throw new ChatModelError(
      'the model answered without a message (no choices[0].message.content)',
      'malformed',
    );
  return content;
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
