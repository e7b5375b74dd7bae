import { type NotionPage, titleOf, urlOf } from '../../servers/notion/notion-client.js';
import type { KnowledgeHit } from '../../support/types.js';
import { type Profile, resultJson } from './types.js';

/**
 * The official `@notionhq/notion-mcp-server`: its tools mirror Notion's REST API, so a search is
 * `API-post-search` with a page filter, answered with Notion's own JSON in a text block.
 */
export const notionOfficialProfile: Profile = {
  searchTool: (tools) =>
    tools.some((tool) => tool.name === 'API-post-search') ? 'API-post-search' : undefined,
  searchArgs: (_tool, query, limit) => ({
    query,
    filter: { property: 'object', value: 'page' },
    page_size: limit,
  }),
  parseSearch(_tool, result, service) {
    // Its text block is Notion's own search JSON: the same page objects deskhand's Notion server reads.
    const json = resultJson(result) as { results?: Array<Partial<NotionPage>> } | undefined;
    const pages = Array.isArray(json?.results) ? json.results : [];
    return pages
      .filter((page) => page.object === undefined || page.object === 'page')
      .map(
        (page, rank): KnowledgeHit => ({
          source: service,
          title: page.properties ? titleOf(page as NotionPage) : '(untitled page)',
          snippet: '',
          url: page.id ? urlOf(page as NotionPage) : page.url,
          score: 1 / (1 + rank),
        }),
      );
  },
  ticketTool: () => undefined,
  ticketArgs: () => {
    throw new Error('the official Notion server files no tickets');
  },
  parseTicket: () => {
    throw new Error('the official Notion server files no tickets');
  },
};
