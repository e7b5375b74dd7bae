import { keyTerms, stem } from './text.js';
import type { KnowledgeHit, RankedHit } from './types.js';

/** Below this relevance no hit counts as an answer; the card offers a ticket instead. */
export const GOOD_ANSWER_RELEVANCE = 0.5;

/**
 * Merges hits from every source into one list, best first. Sources score on scales of their own
 * (minisearch's BM25, Notion's order, HelpScout's order), so relevance is measured the same way
 * for all: the share of the question's key terms found in the hit's title and snippet, with the
 * title weighing more, nudged by the hit's rank within its own source.
 */
export function rankHits(question: string, hits: KnowledgeHit[], limit: number): RankedHit[] {
  const terms = keyTerms(question).map(stem);
  const rankInSource = new Map<KnowledgeHit, number>();
  const bySource = new Map<string, KnowledgeHit[]>();
  for (const hit of hits) bySource.set(hit.source, [...(bySource.get(hit.source) ?? []), hit]);
  for (const sourceHits of bySource.values()) {
    const ordered = [...sourceHits].sort((a, b) => b.score - a.score);
    for (const [rank, hit] of ordered.entries()) rankInSource.set(hit, rank);
  }

  const ranked = hits.map((hit) => {
    const coverage = termCoverage(terms, hit);
    const rank = rankInSource.get(hit) ?? 0;
    const relevance = Math.min(1, coverage * 0.85 + 0.15 / (1 + rank));
    return { ...hit, relevance: Math.round(relevance * 1000) / 1000 };
  });

  const seen = new Set<string>();
  return ranked
    .sort((a, b) => b.relevance - a.relevance || b.score - a.score)
    .filter((hit) => {
      const key = hit.url ?? `${hit.source}:${hit.title}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, limit);
}

function termCoverage(terms: string[], hit: KnowledgeHit): number {
  if (terms.length === 0) return 0;
  const titleTerms = new Set(keyTerms(hit.title).map(stem));
  const bodyTerms = new Set(keyTerms(hit.snippet).map(stem));
  let score = 0;
  for (const term of terms) {
    if (titleTerms.has(term) || [...titleTerms].some((t) => t.startsWith(term) || term.startsWith(t)))
      score += 1;
    else if (
      bodyTerms.has(term) ||
      [...bodyTerms].some((t) => t.length > 3 && (t.startsWith(term) || term.startsWith(t)))
    )
      score += 0.7;
  }
  return score / terms.length;
}
