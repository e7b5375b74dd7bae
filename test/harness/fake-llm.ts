import { afterAll, beforeAll, beforeEach } from 'vitest';
import { FakeApi, type InjectedResponse, type RecordedRequest } from './fake-api.js';

export const FAKE_LLM_KEY = 'sk-fake-llm-key-123';

interface ChatRequest {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
}

interface EmbeddingsRequest {
  model?: string;
  input?: unknown;
}

/** The dimension of the fake's embeddings unless a test changes it. */
export const FAKE_EMBEDDING_DIMS = 64;

/**
 * A fake OpenAI-compatible `/v1/chat/completions` and `/v1/embeddings`: bearer auth, the
 * chat.completion and embedding list shapes, OpenAI's error objects, and what goes wrong with real
 * models (429 with `retry-after`, 5xx, hangs, a body that is not JSON) through FakeApi's
 * failNext/hang. By default it answers as a well-behaved model: the first sentence of passage [1],
 * cited; its embeddings are deterministic, texts sharing words lying close together.
 */
export class FakeLlm extends FakeApi {
  /** What the model writes for a prompt; replace it to make it uncited, wrong or empty. */
  answer: (question: string, passages: string[]) => string = (_question, passages) =>
    `${firstSentence(passages[0] ?? '')} [1]`;
  /** The length of the vectors `/v1/embeddings` returns. */
  embeddingDims = FAKE_EMBEDDING_DIMS;

  /** The prompts the model was given, in order. */
  get prompts(): ChatRequest[] {
    return this.requests
      .filter((request) => request.path === '/v1/chat/completions')
      .map((request) => JSON.parse(request.body || '{}') as ChatRequest);
  }

  /** The inputs of each `/v1/embeddings` request, in order. */
  get embeddingInputs(): string[][] {
    return this.requests
      .filter((request) => request.path === '/v1/embeddings')
      .map((request) => {
        const { input } = JSON.parse(request.body || '{}') as EmbeddingsRequest;
        return Array.isArray(input) ? (input as string[]) : [String(input)];
      });
  }

  protected handle(request: RecordedRequest, url: URL): InjectedResponse {
    const known = url.pathname === '/v1/chat/completions' || url.pathname === '/v1/embeddings';
    if (request.method !== 'POST' || !known) {
      return { status: 404, body: { error: { message: 'Not found', type: 'invalid_request_error' } } };
    }
    if (request.headers.authorization !== `Bearer ${FAKE_LLM_KEY}`) {
      return {
        status: 401,
        body: {
          error: {
            message: 'Incorrect API key provided',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        },
      };
    }
    if (url.pathname === '/v1/embeddings') return this.embeddings(request);
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

  private embeddings(request: RecordedRequest): InjectedResponse {
    const body = JSON.parse(request.body || '{}') as EmbeddingsRequest;
    if (!body.model) return invalidRequest('you must provide a model parameter', null);
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (
      !Array.isArray(input) ||
      input.length === 0 ||
      input.length > 2048 ||
      !input.every((text) => typeof text === 'string' && text.length > 0)
    ) {
      return invalidRequest(
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        null,
      );
    }
    const tokens = (input as string[]).reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    return {
      status: 200,
      body: {
        object: 'list',
        data: (input as string[]).map((text, index) => ({
          object: 'embedding',
          index,
          embedding: fakeEmbedding(text, this.embeddingDims),
        })),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
    };
  }
}

function invalidRequest(message: string, param: string | null): InjectedResponse {
  return { status: 400, body: { error: { message, type: 'invalid_request_error', param, code: null } } };
}

const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from how i in is it its my of on or our the to we what when where which who why with you your'.split(
    ' ',
  ),
);

/**
 * A deterministic stand-in for a real embedding: a hashed bag of crudely stemmed words, each word
 * adding ±1 to one dimension, normalised to length 1; texts sharing words have a high cosine.
 */
export function fakeEmbedding(text: string, dims = FAKE_EMBEDDING_DIMS): number[] {
  const vector = new Array<number>(dims).fill(0);
  const words = (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((word) => !STOP_WORDS.has(word));
  for (const word of words) {
    const hash = fnv1a(stem(word));
    vector[hash % dims] = (vector[hash % dims] ?? 0) + ((hash >>> 16) & 1 ? 1 : -1);
  }
  // A real model never returns a zero vector, even for "the".
  vector[0] = (vector[0] ?? 0) + 0.01;
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vector.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}

function stem(word: string): string {
  if (word.length <= 4) return word;
  // "resetting" → "reset", "passwords" → "password"
  return word.replace(/(?:ing|ed|es|s)$/, '').replace(/([^aeiou])\1$/, '$1');
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function firstSentence(passage: string): string {
  const line = passage.split('\n').find((candidate) => candidate.trim() && !/^\s*$/.test(candidate)) ?? '';
  const body = line.replace(/^\d+\.\s+/, '');
  return /^(.*?[.!?])(\s|$)/.exec(body)?.[1] ?? body;
}

/**
 * A FakeLlm for the enclosing describe block: started before its tests, closed after them, and
 * before each test cleared of recorded requests and hangs, then `reset` for what a file sets anew.
 */
export function useFakeLlm(reset?: (llm: FakeLlm) => void): FakeLlm {
  const llm = new FakeLlm();
  beforeAll(async () => {
    await llm.start();
  });
  afterAll(async () => {
    await llm.close();
  });
  beforeEach(() => {
    llm.requests.length = 0;
    llm.hang(false);
    reset?.(llm);
  });
  return llm;
}
