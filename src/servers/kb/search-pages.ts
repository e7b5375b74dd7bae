import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Logger } from '../../observability/logger.js';
import {
  type KnowledgeArticle,
  type KnowledgeBase,
  KnowledgeFolderError,
  type KnowledgeSection,
} from './knowledge-index.js';
import { buildSnippet } from './snippet.js';

export const SEARCH_PAGES_TOOL = 'search_pages';
export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 20;

const inputSchema = {
  query: z.string().describe('What to look for: a question or a few keywords, e.g. "reset password".'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .describe(`How many articles to return, best first (1-${MAX_LIMIT}, default ${DEFAULT_LIMIT}).`),
  include_content: z
    .boolean()
    .optional()
    .describe("Also return each article's full markdown and its text by section (default false)."),
};

const pageResultSchema = z.object({
  title: z.string(),
  snippet: z.string().describe('About 240 characters around the best match, with … where text was left out.'),
  url: z.string().describe("The article's public URL from its front matter, else a file:// URL."),
  path: z.string().describe('Path of the markdown file inside the knowledge folder.'),
  score: z.number().describe('Relevance; higher is better, comparable only within one search.'),
  section: z
    .string()
    .optional()
    .describe('The heading of the section that matched best, if not the opening text.'),
  content: z.string().optional().describe('The full markdown, only with include_content.'),
  sections: z
    .array(z.object({ heading: z.string().optional(), text: z.string() }))
    .optional()
    .describe(
      'The article as plain text by section (numbered steps kept as "1. "), only with include_content.',
    ),
});

const outputSchema = { results: z.array(pageResultSchema) };

export type PageResult = z.infer<typeof pageResultSchema>;

/** Registers `search_pages`, a ranked full-text search over the knowledge folder's articles. */
export function registerSearchPages(server: McpServer, knowledgeBase: KnowledgeBase, logger?: Logger): void {
  server.registerTool(
    SEARCH_PAGES_TOOL,
    {
      title: 'Search the knowledge base',
      description:
        'Searches the help articles of the built-in knowledge base (markdown files) and returns the best ' +
        'matches with a title, a snippet around the match, a link and a relevance score. ' +
        'Typos and word beginnings still match.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ query, limit, include_content }): Promise<CallToolResult> => {
      const question = query.trim();
      if (!question) {
        return errorResult(
          'The query is empty. Pass a question or a few keywords, for example "reset password".',
        );
      }
      try {
        const hits = await knowledgeBase.search(question, limit ?? DEFAULT_LIMIT);
        const results: PageResult[] = [];
        // The text is `JSON.stringify({ results })`, assembled from each article's content serialised
        // once: the content is most of it and never changes. Concatenated, not joined: `+` leaves V8 a
        // rope of the parts, which only a reader flattens, and in the bot's own process no one reads
        // the text (the client takes the structured results); `join` copied ~40 KB per question.
        let text = '{"results":[';
        for (const { article, score, matchedTerms, queryTerms, section } of hits) {
          const best = section === undefined ? undefined : article.sections[section];
          const found: PageResult = {
            title: article.title,
            snippet: buildSnippet(best ? snippetText(best) : article.body, [...matchedTerms, ...queryTerms]),
            url: article.url,
            path: article.path,
            score: Math.round(score * 1000) / 1000,
            ...(best?.heading ? { section: best.heading } : {}),
          };
          if (results.length > 0) text += ',';
          text += include_content ? withContentJson(JSON.stringify(found), article) : JSON.stringify(found);
          results.push(
            include_content ? { ...found, content: article.content, sections: article.sections } : found,
          );
        }
        text += ']}';
        return { structuredContent: { results }, content: [{ type: 'text', text }] };
      } catch (error) {
        if (error instanceof KnowledgeFolderError) return errorResult(error.message);
        logger?.error({ err: error }, 'search_pages failed');
        return errorResult(`The knowledge base could not be searched: ${(error as Error).message}`);
      }
    },
  );
}

/** An article's `"content":…,"sections":…` in JSON, serialised once per article. */
const contentJsons = new WeakMap<KnowledgeArticle, string>();

/** `found` (a result's JSON without its content) with the article's content and sections appended. */
function withContentJson(foundJson: string, article: KnowledgeArticle): string {
  let json = contentJsons.get(article);
  if (json === undefined) {
    json = JSON.stringify({ content: article.content, sections: article.sections }).slice(1, -1);
    contentJsons.set(article, json);
  }
  return `${foundJson.slice(0, -1)},${json}}`;
}

/** A section's text without its step numbers, as snippets show it: read once per section. */
const snippetTexts = new WeakMap<KnowledgeSection, string>();

function snippetText(section: KnowledgeSection): string {
  let text = snippetTexts.get(section);
  if (text === undefined) {
    text = section.text.replace(/^\d+\. /gm, '');
    snippetTexts.set(section, text);
  }
  return text;
}

function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}
