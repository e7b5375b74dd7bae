import { describe, expect, it } from 'vitest';
import { OpenAiEmbeddings } from '../../src/llm/openai-embeddings.js';
import { EmbedderError } from '../../src/support/reranking/index.js';
import { FAKE_LLM_KEY, fakeEmbedding, useFakeLlm } from '../harness/fake-llm.js';

describe('the OpenAI-compatible embeddings client', () => {
  const llm = useFakeLlm();
  const embedder = (apiKey = FAKE_LLM_KEY) =>
    new OpenAiEmbeddings({ baseUrl: `${llm.url}/v1/`, model: 'fake-embed', apiKey });
  const embed = (texts: string[], timeoutMs = 3000, apiKey?: string) =>
    embedder(apiKey).embed(texts, { signal: AbortSignal.timeout(timeoutMs) });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('posts the model and the texts to {base}/embeddings with the key, and returns one vector per text', async () => {
    const vectors = await embed(['reset my password', 'team lunch']);
    expect(vectors).toEqual([fakeEmbedding('reset my password'), fakeEmbedding('team lunch')]);
    const [request] = llm.requests;
    expect(request?.path).toBe('/v1/embeddings');
    expect(request?.headers.authorization).toBe(`Bearer ${FAKE_LLM_KEY}`);
    expect(JSON.parse(request?.body ?? '')).toEqual({
      model: 'fake-embed',
      input: ['reset my password', 'team lunch'],
    });
  });

  it('puts the vectors in the order of the inputs by their index, whatever order they arrive in', async () => {
    llm.failNext(1, {
      status: 200,
      body: {
        object: 'list',
        data: [
          { object: 'embedding', index: 1, embedding: [0, 1] },
          { object: 'embedding', index: 0, embedding: [1, 0] },
        ],
        model: 'fake-embed',
      },
    });
    expect(await embed(['first', 'second'])).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('waits out a 429 with a short retry-after, then returns the vectors', async () => {
    llm.failNext(1, {
      status: 429,
      headers: { 'retry-after': '0.2' },
      body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
    });
    const started = performance.now();
    expect(await embed(['reset my password'])).toHaveLength(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(llm.embeddingInputs).toHaveLength(2);
  });

  it('retries a 5xx once, then gives up with the status', async () => {
    llm.failNext(2, { status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } });
    const error = await failure(embed(['reset my password']));
    expect(error).toBeInstanceOf(EmbedderError);
    expect(error).toMatchObject({ kind: 'http', status: 503 });
    expect(llm.embeddingInputs).toHaveLength(2);
  });

  it('does not wait for a 429 whose retry-after is longer than a reranking can afford', async () => {
    llm.failNext(1, {
      status: 429,
      headers: { 'retry-after': '20' },
      body: { error: { message: 'slow down' } },
    });
    expect(await failure(embed(['x']))).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(llm.embeddingInputs).toHaveLength(1);
  });

  it('reports a refused key with the endpoint’s own message, without retrying', async () => {
    const error = await failure(embed(['x'], 3000, 'sk-wrong'));
    expect(error).toMatchObject({ kind: 'http', status: 401 });
    expect((error as Error).message).toContain('Incorrect API key provided');
    expect(llm.requests).toHaveLength(1);
  });

  it('stops at the caller’s deadline when the endpoint hangs', async () => {
    llm.hang(true);
    const started = performance.now();
    const error = await failure(embed(['x'], 200));
    expect(error).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  const malformed: Array<[string, unknown]> = [
    ['a body that is not JSON', '{"data": ['],
    ['no data list', { object: 'list' }],
    ['fewer vectors than texts', { data: [{ index: 0, embedding: [1, 0] }] }],
    [
      'an index out of range',
      {
        data: [
          { index: 0, embedding: [1, 0] },
          { index: 5, embedding: [0, 1] },
        ],
      },
    ],
    [
      'two vectors with one index',
      {
        data: [
          { index: 0, embedding: [1, 0] },
          { index: 0, embedding: [0, 1] },
        ],
      },
    ],
    [
      'a vector that is not numbers (base64)',
      {
        data: [
          { index: 0, embedding: 'AAAAAA==' },
          { index: 1, embedding: [0, 1] },
        ],
      },
    ],
    [
      'vectors of different lengths',
      {
        data: [
          { index: 0, embedding: [1, 0] },
          { index: 1, embedding: [0, 1, 0] },
        ],
      },
    ],
  ];
  for (const [what, body] of malformed) {
    it(`calls ${what} malformed`, async () => {
      llm.failNext(1, { status: 200, body });
      const error = await failure(embed(['first', 'second']));
      expect(error).toBeInstanceOf(EmbedderError);
      expect(error).toMatchObject({ kind: 'malformed' });
    });
  }

  it('serves texts sharing words as close vectors and unrelated texts as distant ones (the fake itself)', async () => {
    const [question, close, far] = await embed([
      'How do I reset my password?',
      'Resetting your password from the sign-in page',
      'Team lunch is on Fridays',
    ]);
    const dot = (a: number[] = [], b: number[] = []) =>
      a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
    expect(question).toHaveLength(64);
    expect(dot(question, close)).toBeGreaterThan(0.5);
    expect(dot(question, far)).toBeLessThan(0.3);
    const refused = await fetch(`${llm.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_LLM_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-embed', input: [''] }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
