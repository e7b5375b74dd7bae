import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEmbeddings } from '../../src/commands/doctor-embeddings.js';
import { FAKE_LLM_KEY, FakeLlm } from '../harness/fake-llm.js';

describe('`deskhand doctor` with EMBEDDINGS_MODEL', () => {
  const llm = new FakeLlm();
  const settings = (apiKey?: string) => ({
    baseUrl: `${llm.url}/v1`,
    model: 'fake-embed',
    apiKey,
    privateOk: false,
  });
  beforeAll(async () => {
    await llm.start();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('embeds one text and shows the model and the vectors’ dimension', async () => {
    const check = await checkEmbeddings(settings(FAKE_LLM_KEY), 'password');
    expect(check).toMatchObject({ name: 'embeddings', ok: true });
    expect(check.detail).toMatch(new RegExp(`^fake-embed at ${llm.url}/v1: 64 dimensions in \\d+ ms$`));
    expect(llm.embeddingInputs.at(-1)).toEqual(['password']);
  });

  it('fails with the endpoint’s own words when the key is refused', async () => {
    const check = await checkEmbeddings(settings('sk-wrong'), 'password');
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('the embeddings endpoint answered 401');
    expect(check.detail).toContain('Incorrect API key provided');
  });

  it('fails, not hangs, when the endpoint does not answer', async () => {
    llm.hang(true);
    const check = await checkEmbeddings(settings(FAKE_LLM_KEY), 'password', 300);
    llm.hang(false);
    expect(check.ok).toBe(false);
  });
});
