import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorResult, jsonResult, resultForError, snippetAround } from '../shared/rest.js';
import { type NotionClient, titleOf, urlOf } from './notion-client.js';

/** How many of the top pages get a snippet read from their content when it was not asked for. */
const SNIPPETS_FOR_TOP = 3;

/** Registers `search_pages` over the Notion pages shared with the integration. */
export function registerSearchPages(server: McpServer, notion: NotionClient): void {
  server.registerTool(
    'search_pages',
    {
      title: 'Search Notion',
      description:
        'Searches the Notion pages shared with the integration; returns titles, links and a snippet of each page.',
      inputSchema: {
        query: z.string().describe('A question or keywords'),
        limit: z.number().int().min(1).max(20).optional().describe('How many pages (1-20, default 5)'),
        include_content: z
          .boolean()
          .optional()
          .describe("Also return each page's text, whole and by section"),
      },
      outputSchema: {
        results: z.array(
          z.object({
            title: z.string(),
            snippet: z.string(),
            url: z.string(),
            path: z.string(),
            score: z.number(),
            content: z.string().optional(),
            sections: z.array(z.object({ heading: z.string().optional(), text: z.string() })).optional(),
          }),
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ query, limit, include_content }): Promise<CallToolResult> => {
      if (!query.trim()) return errorResult('The query is empty: pass a question or keywords.');
      try {
        const pages = await notion.searchPages(query, limit ?? 5);
        const results = await Promise.all(
          pages.map(async (page, rank) => {
            const wantsText = include_content || rank < SNIPPETS_FOR_TOP;
            const { text, sections } = wantsText
              ? await notion.pageContent(page.id)
              : { text: '', sections: [] };
            return {
              title: titleOf(page),
              snippet: snippetAround(text, query),
              url: urlOf(page),
              path: page.id,
              score: Math.round((1 / (1 + rank)) * 1000) / 1000,
              ...(include_content ? { content: text, sections } : {}),
            };
          }),
        );
        return jsonResult({ results });
      } catch (error) {
        return resultForError(error, 'Notion');
      }
    },
  );
}
