import { describe, expect, it } from 'vitest';
import { OpenAiChatModel } from '../../../src/llm/openai-chat-model.js';
import { rankHits } from '../../../src/support/ranking.js';
import { isGrounded, type ReplyAudit, ReplyWriter } from '../../../src/support/replies/index.js';
import type { ChannelKind, KnowledgeHit } from '../../../src/support/types.js';
import { FAKE_LLM_KEY, useFakeLlm } from '../../harness/fake-llm.js';

const QUESTION = 'How do I reset my password?';
const HITS: KnowledgeHit[] = [
  {
    source: 'kb',
    title: 'Reset your password',
    snippet: '',
    url: 'https://help.acme.example/reset',
    path: 'reset-password.md',
    score: 10,
    passages: [
      { text: 'You can set a new password yourself in two minutes.' },
      {
        heading: 'Reset it from the sign-in page',
        text: '1. Click Forgot password? on the sign-in page.\n2. Open the email and follow the reset link.',
      },
    ],
  },
  {
    source: 'notion',
    title: 'Office seating plan',
    snippet: '',
    url: 'https://notion.example/seats',
    score: 1,
    passages: [{ text: 'Everyone sits on the third floor.' }],
  },
];

describe('the reply written by a language model, held to the sources', () => {
  const llm = useFakeLlm((llm) => {
    llm.answer = (_question, passages) => `${passages[0]?.split('\n')[1]?.replace(/^1\. /, '')} [1]`;
  });
  const audits: ReplyAudit[] = [];
  const ranked = rankHits(QUESTION, HITS, 6);
  const writer = (options: { deadlineMs?: number; privateOk?: boolean } = {}) =>
    new ReplyWriter({
      model: new OpenAiChatModel({ baseUrl: `${llm.url}/v1`, model: 'fake-model', apiKey: FAKE_LLM_KEY }),
      deadlineMs: options.deadlineMs ?? 3000,
      privateOk: options.privateOk,
      audit: { record: async (audit) => void audits.push(audit) },
    });
  const context = (channelKind: ChannelKind = 'public') => ({
    questionId: '00000000-0000-4000-8000-000000000001',
    channelKind,
    entryPoint: 'slash' as const,
  });
  const lastAudit = () => audits.at(-1) as ReplyAudit;

  it('uses a reply that cites the passages it was given, and keeps the prompt and the model text for audit', async () => {
    const written = await writer().write(QUESTION, ranked, true, context());
    expect(written.reply).toMatchObject({
      method: 'llm',
      text: 'Click Forgot password? on the sign-in page. [1]',
      citations: [
        { n: 1, title: 'Reset your password', url: 'https://help.acme.example/reset', source: 'kb' },
      ],
    });
    expect(written.cited.map((hit) => hit.title)).toEqual(['Reset your password']);
    expect(isGrounded(written.reply!, written.cited)).toBe(true);
    const [prompt] = llm.prompts;
    expect(prompt?.model).toBe('fake-model');
    expect(prompt?.messages?.[1]?.content).toContain(
      '[1] Reset your password (kb)\nReset it from the sign-in page',
    );
    expect(lastAudit()).toMatchObject({
      method: 'llm',
      model: 'fake-model',
      llmOutcome: 'used',
      modelText: 'Click Forgot password? on the sign-in page. [1]',
      passages: [expect.objectContaining({ n: 1, title: 'Reset your password' }), expect.anything()],
      prompt: [expect.objectContaining({ role: 'system' }), expect.objectContaining({ role: 'user' })],
    });
  });

  it('renumbers the citations in the order they appear, so the card lists only the cited sources', async () => {
    llm.answer = () => 'Everyone sits on the third floor. [2]';
    const written = await writer().write(QUESTION, ranked, true, context());
    expect(written.reply?.text).toBe('Everyone sits on the third floor. [1]');
    expect(written.cited.map((hit) => hit.source)).toEqual(['notion']);
  });

  const fallbacks: Array<[string, () => void, string]> = [
    [
      'a sentence citing nothing',
      () => (llm.answer = () => 'Click Forgot password. [1] Then you are done.'),
      'uncited',
    ],
    [
      'a passage that was not given',
      () => (llm.answer = () => 'Click Forgot password? on the sign-in page. [7]'),
      'unknown_citation',
    ],
    [
      'a sentence the cited passage does not support',
      () => (llm.answer = () => 'Call our hotline at any hour to unlock the account. [1]'),
      'unsupported',
    ],
    ['a body that is not JSON', () => llm.failNext(1, { status: 200, body: '{"choices": [' }), 'malformed'],
    [
      'a completion without a message',
      () => llm.failNext(1, { status: 200, body: { choices: [] } }),
      'malformed',
    ],
    [
      'a 429 asking to wait longer than the deadline',
      () =>
        llm.failNext(1, {
          status: 429,
          headers: { 'retry-after': '30' },
          body: { error: { message: 'Rate limit' } },
        }),
      'error',
    ],
    [
      'a 5xx every time',
      () => llm.failNext(3, { status: 503, body: { error: { message: 'overloaded' } } }),
      'error',
    ],
    [
      'a refused key',
      () => llm.failNext(1, { status: 401, body: { error: { message: 'bad key' } } }),
      'error',
    ],
  ];
  for (const [what, arrange, outcome] of fallbacks) {
    it(`falls back to the extractive reply for ${what}`, async () => {
      arrange();
      const written = await writer().write(QUESTION, ranked, true, context());
      expect(written.reply?.method).toBe('extractive');
      expect(written.reply?.parts[0]?.text).toBe('Click Forgot password? on the sign-in page.');
      expect(lastAudit()).toMatchObject({ method: 'extractive', llmOutcome: outcome });
      expect(lastAudit().error).toBeTruthy();
    });
  }

  it('waits out a 429 with a short retry-after, and a passing 5xx, then uses the reply', async () => {
    llm.failNext(1, {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { error: { message: 'Rate limit' } },
    });
    llm.failNext(1, { status: 502, body: { error: { message: 'bad gateway' } } });
    const written = await writer().write(QUESTION, ranked, true, context());
    expect(written.reply?.method).toBe('llm');
    expect(llm.prompts).toHaveLength(3);
  });

  it('shows the extractive reply once the deadline passes, without waiting for the model', async () => {
    llm.hang(true);
    const started = performance.now();
    const written = await writer({ deadlineMs: 300 }).write(QUESTION, ranked, true, context());
    expect(performance.now() - started).toBeLessThan(1500);
    expect(written.reply?.method).toBe('extractive');
    expect(lastAudit()).toMatchObject({ llmOutcome: 'deadline' });
  });

  it('never sends text asked in a private channel or a DM, unless LLM_PRIVATE_OK says so', async () => {
    for (const kind of ['private', 'im', 'mpim', 'unknown'] as const) {
      const written = await writer().write(QUESTION, ranked, true, context(kind));
      expect(written.reply?.method).toBe('extractive');
      expect(lastAudit()).toMatchObject({ llmOutcome: 'private' });
      expect(lastAudit().prompt).toBeUndefined();
    }
    expect(llm.prompts).toHaveLength(0);
    const allowed = await writer({ privateOk: true }).write(QUESTION, ranked, true, context('im'));
    expect(allowed.reply?.method).toBe('llm');
  });

  it('asks no model when nothing answers the question', async () => {
    const written = await writer().write(QUESTION, ranked, false, context());
    expect(written.reply).toBeUndefined();
    expect(llm.prompts).toHaveLength(0);
  });
});

describe('reading an answer back while its audit row is being written', () => {
  it('waits for the row, but not past the audit wait when the database holds it up', async () => {
    const writer = new ReplyWriter({
      auditWaitMs: 50,
      audit: { record: () => new Promise<void>(() => {}) },
    });
    const ranked = rankHits(QUESTION, HITS, 6);
    await writer.write(QUESTION, ranked, true, {
      questionId: 'q-held',
      channelKind: 'public',
      entryPoint: 'slash',
    });
    const started = Date.now();
    await writer.audited('q-held');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
