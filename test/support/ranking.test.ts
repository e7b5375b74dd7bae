import { describe, expect, it } from 'vitest';
import { decideFound, rankHits } from '../../src/support/ranking.js';
import { fingerprint, keyTerms, truncate } from '../../src/support/text.js';
import type { KnowledgeHit } from '../../src/support/types.js';

const hit = (source: string, title: string, snippet: string, score: number, url?: string): KnowledgeHit => ({
  source,
  title,
  snippet,
  score,
  url: url ?? `https://example.test/${encodeURIComponent(title)}`,
});

describe('ranking hits across sources', () => {
  it('puts the hit covering the question first, whatever each source scored it', () => {
    const hits = [
      hit('notion', 'Office seating plan', 'Where everyone sits', 0.99),
      hit('kb', 'Reset your password', 'Click "Forgot password" on the sign-in page to reset it', 3.2),
      hit('helpscout', 'Billing question', 'Customer asked about invoices', 0.5),
    ];
    const ranked = rankHits('How do I reset my password?', hits, 3);
    expect(ranked[0]?.title).toBe('Reset your password');
    expect(decideFound(ranked).found).toBe(true);
    expect(ranked.at(-1)?.relevance ?? 1).toBeLessThan((ranked[0]?.relevance ?? 0) - 0.4);
  });

  it('keeps at most the limit, and one hit per URL', () => {
    const hits = Array.from({ length: 10 }, (_, i) =>
      hit('kb', `Password ${i}`, 'reset password', 10 - i, i < 3 ? 'https://same' : undefined),
    );
    const ranked = rankHits('reset password', hits, 3);
    expect(ranked).toHaveLength(3);
    expect(ranked.filter((h) => h.url === 'https://same')).toHaveLength(1);
  });

  it('finds no good answer for a question nothing covers', () => {
    const ranked = rankHits(
      'quantum entanglement pricing',
      [hit('kb', 'Reset your password', 'Forgot password link', 2)],
      3,
    );
    expect(decideFound(ranked).found).toBe(false);
  });

  it('finds an answer two sources agree on, and none when two articles of one source each answer a part', () => {
    const agreeing = rankHits(
      'How do I reset my password?',
      [
        hit('kb', 'Reset your password', 'Click Forgot password to reset your password', 3),
        hit('notion', 'Password reset runbook', 'How to reset a password for a customer', 1),
      ],
      3,
    );
    expect(decideFound(agreeing)).toMatchObject({ found: true, agreement: true });
    const split = rankHits(
      'How do I export invoices?',
      [
        hit('kb', 'Export your data', 'Export projects to a csv file from Settings', 3),
        hit('kb', 'Invoices and receipts', 'Invoices are under Billing, one a month', 2.9),
      ],
      3,
    );
    expect(decideFound(split)).toMatchObject({ found: false, agreement: false });
  });

  it('returns nothing for no hits', () => {
    expect(rankHits('anything', [], 3)).toEqual([]);
  });
});

describe('question text', () => {
  it('keeps the words that carry meaning', () => {
    expect(keyTerms('How do I reset my password?')).toEqual(['reset', 'password']);
  });

  it('gives near-duplicate questions the same fingerprint', () => {
    expect(fingerprint('How do I reset my password?')).toBe(fingerprint('password reset, how?'));
    expect(fingerprint('Resetting passwords')).toBe(fingerprint('reset password'));
    expect(fingerprint('How do I reset my password?')).not.toBe(fingerprint('How do I export my data?'));
  });

  it('cuts long questions on a word boundary and says so', () => {
    expect(truncate('short', 10)).toEqual({ text: 'short', truncated: false });
    const cut = truncate('one two three four five six', 15);
    expect(cut.truncated).toBe(true);
    expect(cut.text).toBe('one two three…');
  });
});
