/**
 * deskhand's answers as they were before replies (kept callable so the answer-quality benchmark
 * measures the new ranking against it in the same run): the kb indexed by article only with
 * minisearch's own word splitting, stop words dropped, no synonyms or stemming; hits ranked by the
 * share of the question's key terms in title and snippet; "found" when that share reaches 0.5.
 */
import MiniSearch from 'minisearch';
import type { KnowledgeArticle } from '../../src/servers/kb/knowledge-index.js';
import { buildSnippet } from '../../src/servers/kb/snippet.js';
import { keyTerms, stem } from '../../src/support/text.js';
import type { KnowledgeHit, RankedHit } from '../../src/support/types.js';

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could do does did for from has have how i if in into is it its ' +
    'me my no of on or our so than that the their them then there these they this to us was we were ' +
    'what when where which who why will with would you your'
  ).split(' '),
);

export const BASELINE_GOOD_ANSWER_RELEVANCE = 0.5;

/** The old kb index: one document per article. */
export class BaselineIndex {
  private readonly search: MiniSearch<{
    path: string;
    title: string;
    tags: string;
    headings: string;
    body: string;
  }>;
  private readonly articles = new Map<string, KnowledgeArticle>();

  constructor(articles: readonly KnowledgeArticle[]) {
    this.search = new MiniSearch({
      idField: 'path',
      fields: ['title', 'tags', 'headings', 'body'],
      processTerm: (term) => {
        const lower = term.toLowerCase();
        return STOP_WORDS.has(lower) ? null : lower;
      },
      searchOptions: {
        boost: { title: 3, tags: 2, headings: 1.5 },
        fuzzy: 0.2,
        prefix: true,
        combineWith: 'OR',
      },
    });
    for (const article of articles) this.articles.set(article.path, article);
    this.search.addAll(
      articles.map((article) => ({
        path: article.path,
        title: article.title,
        tags: article.tags.join(' '),
        headings: article.headings.join('\n'),
        body: article.body,
      })),
    );
  }

  /** The kb server's old answer: the best articles with a snippet around the match. */
  query(query: string, limit: number): KnowledgeHit[] {
    return this.search
      .search(query)
      .slice(0, limit)
      .flatMap((result) => {
        const article = this.articles.get(String(result.id));
        if (!article) return [];
        return [
          {
            source: 'kb',
            title: article.title,
            snippet: buildSnippet(article.body, [...result.terms, ...result.queryTerms]),
            url: article.url,
            path: article.path,
            score: result.score,
          },
        ];
      });
  }
}

/** The old ranking across sources: key-term share in title and snippet, nudged by rank in its source. */
export function baselineRankHits(question: string, hits: KnowledgeHit[], limit: number): RankedHit[] {
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
