import { FakeApi, type InjectedResponse, type RecordedRequest } from './fake-api.js';

export const FAKE_LLM_KEY = 'sk-fake-llm-key-123';

interface ChatRequest {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
}

/**
 * A fake OpenAI-compatible `/v1/chat/completions`: bearer auth, the chat.completion object shape,
 * OpenAI's error objects, and what goes wrong with real models (429 with `retry-after`, 5xx,
 * hangs, a body that is not JSON) through FakeApi's failNext/hang. By default it answers as a
 * well-behaved model: the first sentence of passage [1], cited.
 */
export class FakeLlm extends FakeApi {
  /** What the model writes for a prompt; replace it to make it uncited, wrong or empty. */
  answer: (question: string, passages: string[]) => string = (_question, passages) =>
    `${firstSentence(passages[0] ?? '')} [1]`;

  /** The prompts the model was given, in order. */
  get prompts(): ChatRequest[] {
    return this.requests
      .filter((request) => request.path === '/v1/chat/completions')
      .map((request) => JSON.parse(request.body || '{}') as ChatRequest);
  }

  protected handle(request: RecordedRequest, url: URL): InjectedResponse {
    if (request.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
      return { status: 404, body: { error: { message: 'Not found', type: 'invalid_request_error' } } };
    }
    if (request.headers.authorization !== `Bearer ${FAKE_LLM_KEY}`) {
      return {
        status: 401,
        body: {
          error: {
            message: 'Incorrect API key provided',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        },
      };
    }
    const chat = JSON.parse(request.body || '{}') as ChatRequest;
    const user = chat.messages?.find((message) => message.role === 'user')?.content ?? '';
    const question = /^Question: (.*)$/m.exec(user)?.[1] ?? '';
    const passages = [...user.matchAll(/^\[(\d+)\] [^\n]*\n([\s\S]*?)(?=\n\n\[\d+\] |(?![\s\S]))/gm)].map(
      (match) => match[2] ?? '',
    );
    return {
      status: 200,
      body: {
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: chat.model ?? 'fake',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: this.answer(question, passages) },
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: Math.ceil(user.length / 4),
          completion_tokens: 20,
          total_tokens: Math.ceil(user.length / 4) + 20,
        },
      },
    };
  }
}

function firstSentence(passage: string): string {
  const line = passage.split('\n').find((candidate) => candidate.trim() && !/^\s*$/.test(candidate)) ?? '';
  const body = line.replace(/^\d+\.\s+/, '');
  return /^(.*?[.!?])(\s|$)/.exec(body)?.[1] ?? body;
}
