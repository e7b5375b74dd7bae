import { describe, expect, it } from 'vitest';
import { blendSimilarity, cosine, embeddedText } from '../../../src/support/reranking/index.js';
import type { RankedHit } from '../../../src/support/types.js';

const hit = (title: string, relevance: number, extra: Partial<RankedHit> = {}): RankedHit => ({
  source: 'kb',
  title,
  snippet: `${title} snippet`,
  score: 1,
  relevance,
  ...extra,
});

describe('blending lexical relevance with embedding similarity', () => {
  it('measures cosine similarity whatever the vectors’ lengths, and 0 for a zero vector', () => {
    expect(cosine([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosine([1, 0], [0, 3])).toBeCloseTo(0);
    expect(cosine([2, 2], [1, 1])).toBeCloseTo(1);
    expect(cosine([1, 0], [-1, 0])).toBeCloseTo(-1);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });

  it('lifts a hit that means what the question asks above one that only shares its words', () => {
    const ranked = [hit('Password policy', 0.6), hit('Reset a forgotten password', 0.5)];
    const reranked = blendSimilarity(
      ranked,
      [1, 0],
      [
        [0, 1],
        [1, 0],
      ],
    );
    expect(reranked.map((entry) => entry.title)).toEqual(['Reset a forgotten password', 'Password policy']);
    expect(reranked[0]).toMatchObject({ relevance: 0.65, similarity: 1 });
    expect(reranked[1]).toMatchObject({ relevance: 0.42, similarity: 0 });
  });

  it('weighs the similarity by the given share, counts a negative cosine as 0, and keeps other fields', () => {
    const ranked = [hit('A', 0.8, { coverage: 0.9, bestPassage: 1, url: 'https://a' })];
    const [blended] = blendSimilarity(ranked, [1, 0], [[-1, 0]], 0.5);
    expect(blended).toMatchObject({
      relevance: 0.4,
      similarity: 0,
      coverage: 0.9,
      bestPassage: 1,
      url: 'https://a',
    });
  });

  it('keeps the lexical order between hits the blend ties', () => {
    const ranked = [hit('First', 0.5), hit('Second', 0.5), hit('Third', 0.5)];
    const same = [1, 1];
    expect(blendSimilarity(ranked, same, [same, same, same]).map((entry) => entry.title)).toEqual([
      'First',
      'Second',
      'Third',
    ]);
  });

  it('embeds a hit as its title with its best passage and heading, or its snippet when it has none', () => {
    const withPassages = hit('Reset your password', 0.9, {
      bestPassage: 1,
      passages: [{ text: 'Intro.' }, { heading: 'From the sign-in page', text: '1. Click Forgot password?' }],
    });
    expect(embeddedText(withPassages)).toBe(
      'Reset your password\nFrom the sign-in page\n1. Click Forgot password?',
    );
    expect(embeddedText(hit('Team lunch', 0.2))).toBe('Team lunch\nTeam lunch snippet');
    expect(embeddedText(hit('Long', 0.2, { snippet: 'x'.repeat(5000) }))).toHaveLength(2000);
  });
});
