import { type ChatMessage, type ChatModel, ChatModelError } from '../support/replies/index.js';
import { endpointUrl, type OpenAiClientOptions, postOpenAi } from './openai-http.js';

/** Attempts default to 3. */
export type OpenAiChatModelOptions = OpenAiClientOptions;

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
    this.url = endpointUrl(options.baseUrl, 'chat/completions');
  }

  async complete(messages: ChatMessage[], { signal }: { signal: AbortSignal }): Promise<string> {
    const body = await postOpenAi({
      url: this.url,
      body: { model: this.model, messages, temperature: 0, stream: false },
      apiKey: this.options.apiKey,
      attempts: this.options.attempts ?? 3,
      signal,
      fetch: this.options.fetch,
      name: 'the model',
      fail: (message, kind, status) => new ChatModelError(message, kind, status),
    });
    return parseCompletion(body);
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
