import { describe, expect, it } from 'vitest';
import { buildSnippet, SNIPPET_LENGTH } from '../../../src/servers/kb/snippet.js';

const filler = (words: number, word = 'lorem') => Array.from({ length: words }, () => word).join(' ');

describe('buildSnippet', () => {
  it('returns a short text whole, without ellipses', () => {
    expect(buildSnippet('Reset your password   from the\nsign-in page.', ['password'])).toBe(
      'Reset your password from the sign-in page.',
    );
  });

  it('centres on the match, cuts on word boundaries and marks both cuts', () => {
    const text = `${filler(80)} To reset your password click Forgot password on the sign-in page. ${filler(80, 'ipsum')}`;
    const snippet = buildSnippet(text, ['password']);

    expect(snippet).toContain('reset your password');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
    const sourceWords = new Set(text.split(' '));
    for (const word of snippet.slice(1, -1).split(' ')) expect(sourceWords).toContain(word);
  });

  it('prefers the passage holding the most distinct query terms', () => {
    const text = `${filler(30)} invoice here. ${filler(60)} Download the invoice PDF with VAT details. ${filler(60)}`;
    const snippet = buildSnippet(text, ['invoice', 'vat']);
    expect(snippet).toContain('invoice PDF with VAT');
  });

  it('matches word beginnings case-insensitively and ignores one-letter terms', () => {
    const text = `${filler(60)} Passwords must be at least 12 characters. ${filler(60)}`;
    expect(buildSnippet(text, ['PASSWORD', 'a'])).toContain('Passwords must be');
  });

  it('falls back to the beginning when no term occurs', () => {
    const text = `First words of the article. ${filler(100)}`;
    const snippet = buildSnippet(text, ['webhook']);
    expect(snippet.startsWith('First words of the article.')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
  });

  it('treats regular-expression characters in terms literally', () => {
    const text = `${filler(60)} Call the (v2) API with care. ${filler(60)}`;
    expect(buildSnippet(text, ['(v2)', '.*'])).toContain('Call the');
  });
});
