import type { KnowledgeHit } from '../../support/types.js';
import { type Profile, resultJson } from './types.js';

interface NotionPage {
  id?: string;
  url?: string;
  object?: string;
  properties?: Record<string, { type?: string; title?: Array<{ plain_text?: string }> }>;
}

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
    const json = resultJson(result) as { results?: NotionPage[] } | undefined;
    const pages = Array.isArray(json?.results) ? json.results : [];
    return pages
      .filter((page) => page.object === undefined || page.object === 'page')
      .map(
        (page, rank): KnowledgeHit => ({
          source: service,
          title: titleOf(page),
          snippet: '',
          url: page.url ?? (page.id ? `https://www.notion.so/${page.id.replace(/-/g, '')}` : undefined),
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

function titleOf(page: NotionPage): string {
  for (const property of Object.values(page.properties ?? {})) {
    if (property?.type === 'title' && Array.isArray(property.title)) {
      const text = property.title
        .map((part) => part.plain_text ?? '')
        .join('')
        .trim();
      if (text) return text;
    }
  }
  return '(untitled page)';
}
