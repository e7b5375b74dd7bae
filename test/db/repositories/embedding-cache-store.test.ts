import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DrizzleEmbeddingCache } from '../../../src/db/repositories/embedding-cache-store.js';
import { embeddingCache } from '../../../src/db/schema/index.js';
import { OpenAiEmbeddings } from '../../../src/llm/openai-embeddings.js';
import { createLogger } from '../../../src/observability/logger.js';
import { EmbeddingReranker } from '../../../src/support/reranking/index.js';
import type { Question, RankedHit } from '../../../src/support/types.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { FAKE_LLM_KEY, FakeLlm } from '../../harness/fake-llm.js';

const hit = (title: string, text: string, relevance: number): RankedHit => ({
  source: 'kb',
  title,
  snippet: '',
  score: 1,
  relevance,
  bestPassage: 0,
  passages: [{ text }],
});

const question = (text: string): Question => ({
  id: '00000000-0000-4000-8000-000000000003',
  text,
  truncated: false,
  fingerprint: text,
  entryPoint: 'slash',
  askerId: 'U1',
  channelKind: 'public',
  triage: { urgency: 'normal', category: 'general', matched: [] },
  createdAt: new Date(),
});

describe('the embedding cache in Postgres', () => {
  let database: TestDatabase;
  let cache: DrizzleEmbeddingCache;
  const llm = new FakeLlm();
  beforeAll(async () => {
    database = await createTestDatabase();
    cache = new DrizzleEmbeddingCache(database.db);
    await llm.start();
  });
  afterAll(async () => {
    await llm.close();
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.delete(embeddingCache);
    llm.requests.length = 0;
  });

  it('keeps a vector per model under the hash of its text, not the text, and keeps the first one', async () => {
    await cache.put('model-a', [{ text: 'Reset your password', vector: [0.5, -0.25, 1] }]);
    await cache.put('model-a', [
      { text: 'Reset your password', vector: [9, 9, 9] },
      { text: 'Team lunch', vector: [1, 0, 0] },
    ]);
    const rows = await database.db.select().from(embeddingCache);
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.dims === 3 && row.vector[0] === 0.5)).toMatchObject({
      model: 'model-a',
      textHash: createHash('sha256').update('Reset your password').digest('hex'),
    });
    const found = await cache.get('model-a', ['Reset your password', 'Team lunch', 'Never seen']);
    expect([...found.entries()]).toEqual([
      ['Reset your password', [0.5, -0.25, 1]],
      ['Team lunch', [1, 0, 0]],
    ]);
    expect((await cache.get('model-b', ['Reset your password'])).size).toBe(0);
    expect((await cache.get('model-a', [])).size).toBe(0);
  });

  it('sends only the question and the passages not embedded before on the next question', async () => {
    const reranker = new EmbeddingReranker({
      embedder: new OpenAiEmbeddings({ baseUrl: `${llm.url}/v1`, model: 'fake-embed', apiKey: FAKE_LLM_KEY }),
      cache,
      deadlineMs: 2000,
      logger: createLogger({ level: 'silent' }),
    });
    const reset = hit('Reset your password', 'Click Forgot password on the sign-in page.', 0.6);
    const policy = hit('Password policy', 'Passwords need 12 characters.', 0.5);
    const sso = hit('Single sign-on', 'Sign in with your company account.', 0.4);

    const first = await reranker.rerank(question('How do I reset my password?'), [reset, policy]);
    await reranker.flush();
    const second = await reranker.rerank(question('Can I reset my password with SSO?'), [reset, policy, sso]);

    expect(llm.embeddingInputs).toEqual([
      [
        'How do I reset my password?',
        'Reset your password\nClick Forgot password on the sign-in page.',
        'Password policy\nPasswords need 12 characters.',
      ],
      ['Can I reset my password with SSO?', 'Single sign-on\nSign in with your company account.'],
    ]);
    expect(first[0]?.similarity).toBeGreaterThan(0);
    expect(second.every((ranked) => ranked.similarity !== undefined)).toBe(true);
    await reranker.flush();
    expect(await database.db.select().from(embeddingCache)).toHaveLength(3);
  });
});
