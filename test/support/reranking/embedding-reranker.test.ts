import { describe, expect, it } from 'vitest';
import { OpenAiEmbeddings } from '../../../src/llm/openai-embeddings.js';
import { createLogger } from '../../../src/observability/logger.js';
import {
  type EmbeddingCache,
  EmbeddingReranker,
  type EmbeddingRerankerOptions,
} from '../../../src/support/reranking/index.js';
import type { ChannelKind, EntryPoint, Question, RankedHit } from '../../../src/support/types.js';
import { FAKE_LLM_KEY, useFakeLlm } from '../../harness/fake-llm.js';

const QUESTION = 'How do I reset my password?';

/** Lexically, the policy page leads: it says "password" more. It does not say how to reset one. */
const RANKED: RankedHit[] = [
  {
    source: 'notion',
    title: 'Password policy',
    snippet: '',
    score: 3,
    relevance: 0.6,
    coverage: 0.6,
    bestPassage: 0,
    passages: [{ text: 'Passwords must have 12 characters and a symbol. Passwords expire yearly.' }],
  },
  {
    source: 'kb',
    title: 'Reset a forgotten password',
    snippet: '',
    score: 2,
    relevance: 0.55,
    coverage: 0.55,
    bestPassage: 0,
    passages: [{ text: 'Click Forgot password on the sign-in page to reset it.' }],
  },
];

function question(channelKind: ChannelKind = 'public', entryPoint: EntryPoint = 'slash'): Question {
  return {
    id: '00000000-0000-4000-8000-000000000002',
    text: QUESTION,
    truncated: false,
    fingerprint: 'password reset',
    entryPoint,
    askerId: 'U1',
    channelKind,
    triage: { urgency: 'normal', category: 'account', matched: [] },
    createdAt: new Date(),
  };
}

/** An in-memory cache that counts what it is asked, and can be told to fail. */
class MemoryCache implements EmbeddingCache {
  readonly vectors = new Map<string, number[]>();
  failing: 'get' | 'put' | undefined;

  async get(model: string, texts: readonly string[]): Promise<Map<string, number[]>> {
    if (this.failing === 'get') throw new Error('connection refused');
    const found = new Map<string, number[]>();
    for (const text of texts) {
      const vector = this.vectors.get(`${model}:${text}`);
      if (vector) found.set(text, vector);
    }
    return found;
  }

  async put(model: string, entries: ReadonlyArray<{ text: string; vector: number[] }>): Promise<void> {
    if (this.failing === 'put') throw new Error('connection refused');
    for (const { text, vector } of entries) this.vectors.set(`${model}:${text}`, vector);
  }
}

describe('reranking the hits with embeddings', () => {
  const llm = useFakeLlm((llm) => {
    llm.embeddingDims = 64;
    warnings.length = 0;
  });
  const warnings: string[] = [];
  const logger = createLogger({
    level: 'warn',
    destination: { write: (line: string) => void warnings.push(line) },
  });
  const reranker = (options: Partial<EmbeddingRerankerOptions> = {}) =>
    new EmbeddingReranker({
      embedder: new OpenAiEmbeddings({ baseUrl: `${llm.url}/v1`, model: 'fake-embed', apiKey: FAKE_LLM_KEY }),
      deadlineMs: 800,
      logger,
      ...options,
    });
  const titles = (hits: RankedHit[]) => hits.map((hit) => hit.title);

  it('puts the hit that means what the question asks first, sending the question and each passage once', async () => {
    const reranked = await reranker().rerank(question(), RANKED);
    expect(titles(reranked)).toEqual(['Reset a forgotten password', 'Password policy']);
    expect(reranked[0]?.similarity).toBeGreaterThan(reranked[1]?.similarity ?? 1);
    expect(reranked[0]?.relevance).toBeCloseTo(0.7 * 0.55 + 0.3 * (reranked[0]?.similarity ?? 0), 2);
    expect(llm.embeddingInputs).toEqual([
      [
        QUESTION,
        'Password policy\nPasswords must have 12 characters and a symbol. Passwords expire yearly.',
        'Reset a forgotten password\nClick Forgot password on the sign-in page to reset it.',
      ],
    ]);
    expect(warnings).toEqual([]);
  });

  it('sends a question asked in a private channel or a DM nowhere unless LLM_PRIVATE_OK', async () => {
    for (const kind of ['private', 'im', 'mpim', 'unknown'] as const) {
      expect(await reranker().rerank(question(kind), RANKED)).toBe(RANKED);
    }
    expect(llm.requests).toHaveLength(0);
    expect(titles(await reranker({ privateOk: true }).rerank(question('im'), RANKED))).toEqual([
      'Reset a forgotten password',
      'Password policy',
    ]);
    expect(titles(await reranker().rerank(question('im', 'cli'), RANKED))[0]).toBe(
      'Reset a forgotten password',
    );
    expect(llm.embeddingInputs).toHaveLength(2);
  });

  it('reads the passages it has embedded before from the cache, and sends only the question and new ones', async () => {
    const cache = new MemoryCache();
    const cached = reranker({ cache });
    const first = await cached.rerank(question(), RANKED);
    await cached.flush();
    expect(cache.vectors.size).toBe(2);
    const extra: RankedHit = {
      source: 'kb',
      title: 'Team lunch',
      snippet: 'Fridays at noon',
      score: 1,
      relevance: 0.1,
    };
    const second = await cached.rerank(question(), [...RANKED, extra]);
    expect(llm.embeddingInputs).toEqual([
      [QUESTION, expect.any(String), expect.any(String)],
      [QUESTION, 'Team lunch\nFridays at noon'],
    ]);
    expect(second.slice(0, 2)).toEqual(first);
  });

  it('still reranks when the new vectors cannot be cached, with one warning', async () => {
    const cache = new MemoryCache();
    cache.failing = 'put';
    const cached = reranker({ cache });
    expect(titles(await cached.rerank(question(), RANKED))[0]).toBe('Reset a forgotten password');
    await cached.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('could not cache');
  });

  it('waits out a 429 with a short retry-after within its deadline, then reranks', async () => {
    llm.failNext(1, {
      status: 429,
      headers: { 'retry-after': '0.1' },
      body: { error: { message: 'Rate limit' } },
    });
    expect(titles(await reranker().rerank(question(), RANKED))[0]).toBe('Reset a forgotten password');
    expect(llm.embeddingInputs).toHaveLength(2);
  });

  const fallbacks: Array<[string, (cache: MemoryCache) => void, string]> = [
    ['a 5xx every time', () => llm.failNext(2, { status: 500, body: { error: { message: 'boom' } } }), '500'],
    ['a refused key', () => llm.failNext(1, { status: 401, body: { error: { message: 'bad key' } } }), '401'],
    [
      'a body that is not JSON',
      () => llm.failNext(1, { status: 200, body: '<html>502 Bad Gateway' }),
      'not JSON',
    ],
    ['an endpoint that hangs past the deadline', () => llm.hang(true), 'no embeddings within 500 ms'],
    [
      'a 429 asking to wait longer than the deadline',
      () => llm.failNext(1, { status: 429, headers: { 'retry-after': '0.8' }, body: {} }),
      'no embeddings within 500 ms',
    ],
    ['a database that cannot be read', (cache) => (cache.failing = 'get'), 'connection refused'],
    [
      'cached vectors of another dimension than the question’s',
      (cache) => {
        const text =
          'Password policy\nPasswords must have 12 characters and a symbol. Passwords expire yearly.';
        cache.vectors.set(`fake-embed:${text}`, [1, 0, 0]);
      },
      '3 dimensions',
    ],
  ];
  for (const [what, arrange, detail] of fallbacks) {
    it(`answers on the lexical ranking, unchanged, with one warning, for ${what}`, async () => {
      const cache = new MemoryCache();
      arrange(cache);
      const started = performance.now();
      const reranked = await reranker({ cache, deadlineMs: 500 }).rerank(question(), RANKED);
      expect(reranked).toBe(RANKED);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('answering on the lexical ranking');
      expect(warnings[0]).toContain(detail);
    });
  }

  it('asks nothing when there is nothing to rerank', async () => {
    expect(await reranker().rerank(question(), [])).toEqual([]);
    expect(llm.requests).toHaveLength(0);
  });
});
