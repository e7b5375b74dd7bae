import { describe, expect, it } from 'vitest';
import { answerResult } from '../../../src/servers/deskhand/answer-result.js';
import type { Answer } from '../../../src/support/types.js';

function answer(overrides: Partial<Answer> = {}): Answer {
  return {
    question: {
      id: '5b1c2f4e-9a0b-4c5d-8e7f-001122334455',
      text: 'How do I reset my password?',
      truncated: false,
      fingerprint: 'password reset',
      entryPoint: 'mcp',
      askerId: 'mcp:abc',
      channelKind: 'unknown',
      triage: { urgency: 'normal', category: 'account', matched: [] },
      createdAt: new Date('2026-05-04T09:00:00Z'),
    },
    hits: [
      {
        source: 'kb',
        title: 'Reset your password',
        snippet: 'Open Settings → Security and choose Reset password.',
        url: 'https://docs.example.com/reset-password',
        score: 3.2,
        relevance: 0.91234,
      },
      {
        source: 'helpscout',
        title: 'Password email never came',
        snippet: 'Check spam.',
        score: 1,
        relevance: 0.4,
      },
    ],
    lookups: [
      { source: 'kb', label: 'Knowledge base', status: 'ok', hits: [], latencyMs: 12 },
      { source: 'helpscout', label: 'HelpScout', status: 'ok', hits: [], latencyMs: 80 },
      {
        source: 'notion',
        label: 'Notion',
        status: 'timeout',
        hits: [],
        latencyMs: 4000,
        error: 'no answer within 4000 ms',
      },
    ],
    found: true,
    tookMs: 4012,
    ...overrides,
  };
}

describe('the answer as an agent receives it', () => {
  it('numbers the sources, names each by its label, and reports every lookup', () => {
    const result = answerResult(answer());
    expect(result.sources).toEqual([
      {
        n: 1,
        title: 'Reset your password',
        url: 'https://docs.example.com/reset-password',
        snippet: 'Open Settings → Security and choose Reset password.',
        source: 'Knowledge base',
        service: 'kb',
        relevance: 0.912,
      },
      {
        n: 2,
        title: 'Password email never came',
        snippet: 'Check spam.',
        source: 'HelpScout',
        service: 'helpscout',
        relevance: 0.4,
      },
    ]);
    expect(result.lookups[2]).toEqual({
      source: 'notion',
      label: 'Notion',
      status: 'timeout',
      hits: 0,
      latency_ms: 4000,
      error: 'no answer within 4000 ms',
    });
    expect(result).toMatchObject({ found: true, urgency: 'normal', category: 'account', took_ms: 4012 });
    expect(result).not.toHaveProperty('reply');
  });

  it('carries the written reply with its citations when the answer has one', () => {
    const reply = {
      text: 'Open Settings → Security and choose Reset password [1].',
      method: 'extractive' as const,
      citations: [
        {
          n: 1,
          title: 'Reset your password',
          url: 'https://docs.example.com/reset-password',
          source: 'Knowledge base',
        },
      ],
    };
    expect(answerResult({ ...answer(), reply } as Answer).reply).toEqual(reply);
  });
});
