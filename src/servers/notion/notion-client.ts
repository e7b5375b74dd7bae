import { ApiError, requestJson } from '../shared/rest.js';

export const NOTION_VERSION = '2022-06-28';

export interface NotionPage {
  object: 'page';
  id: string;
  url?: string;
  properties?: Record<string, { type?: string; title?: Array<{ plain_text?: string }> }>;
}

/** A page's text whole and by section. */
export interface PageContent {
  text: string;
  sections: Array<{ heading?: string; text: string }>;
}

interface NotionBlock {
  id: string;
  type: string;
  has_children?: boolean;
  [type: string]: unknown;
}

/** The slice of Notion's REST API deskhand reads: search and block children. */
export class NotionClient {
  constructor(private readonly options: { token?: string; apiUrl: string; timeoutMs?: number }) {}

  async searchPages(query: string, pageSize: number): Promise<NotionPage[]> {
    const { body } = await this.request<{ results: NotionPage[] }>('/v1/search', {
      method: 'POST',
      body: JSON.stringify({ query, filter: { property: 'object', value: 'page' }, page_size: pageSize }),
    });
    return (body.results ?? []).filter((item) => item.object === 'page');
  }

  /** The page's text: its blocks (paragraphs, headings, lists, to-dos, quotes, callouts, code), every page of them. */
  async pageText(pageId: string, maxBlocks = 300): Promise<string> {
    return (await this.pageContent(pageId, maxBlocks)).text;
  }

  /** The page's text, and the same text by section (split at headings, numbered list items as "1. " steps). */
  async pageContent(pageId: string, maxBlocks = 300): Promise<PageContent> {
    const lines: string[] = [];
    const blocks: NotionBlock[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ page_size: '100', ...(cursor ? { start_cursor: cursor } : {}) });
      const { body } = await this.request<{
        results: NotionBlock[];
        has_more: boolean;
        next_cursor: string | null;
      }>(`/v1/blocks/${encodeURIComponent(pageId)}/children?${query}`, { method: 'GET' });
      for (const block of body.results ?? []) {
        const line = blockText(block);
        if (line) {
          lines.push(line);
          blocks.push(block);
        }
      }
      cursor = body.has_more && body.next_cursor ? body.next_cursor : undefined;
    } while (cursor && lines.length < maxBlocks);
    return { text: lines.join('\n'), sections: sectionsOf(blocks) };
  }

  private request<T>(path: string, init: RequestInit) {
    if (!this.options.token) {
      throw new ApiError(
        'NOTION_TOKEN is not set: create an internal integration at https://www.notion.so/my-integrations, share your pages with it and set NOTION_TOKEN',
        401,
        false,
      );
    }
    return requestJson<T>(
      `${this.options.apiUrl.replace(/\/$/, '')}${path}`,
      {
        ...init,
        headers: {
          Authorization: `Bearer ${this.options.token}`,
          'Notion-Version': NOTION_VERSION,
          'Content-Type': 'application/json',
        },
      },
      {
        service: 'Notion',
        retryAfterHeader: 'retry-after',
        timeoutMs: this.options.timeoutMs,
        describeError: describeNotionError,
      },
    );
  }
}

/** Notion's `{object: "error", status, code, message}` as a sentence a person can act on. */
export function describeNotionError(status: number, body: unknown): string {
  const error = body as { code?: string; message?: string } | undefined;
  const detail = error?.message ? ` (${error.message})` : '';
  if (status === 401 || error?.code === 'unauthorized') {
    return 'Notion rejected the token: check NOTION_TOKEN and that the integration is shared with the pages';
  }
  if (status === 403 || error?.code === 'restricted_resource')
    return `Notion refused access: share the pages with the integration${detail}`;
  if (status === 404 || error?.code === 'object_not_found')
    return `Notion could not find that page: share it with the integration${detail}`;
  if (status === 400) return `Notion did not accept the request${detail}`;
  if (status >= 500) return `Notion is having trouble (status ${status}); try again later`;
  return `Notion answered ${status}${detail}`;
}

/** The page title: the plain text of its `title` property. */
export function titleOf(page: NotionPage): string {
  for (const property of Object.values(page.properties ?? {})) {
    if (property?.type === 'title' && Array.isArray(property.title)) {
      const text = property.title
        .map((part) => part.plain_text ?? '')
        .join('')
        .trim();
      if (text) return text;
    }
  }
  return 'Untitled';
}

export function urlOf(page: NotionPage): string {
  return page.url ?? `https://www.notion.so/${page.id.replace(/-/g, '')}`;
}

function blockText(block: NotionBlock): string {
  const content = block[block.type] as
    | { rich_text?: Array<{ plain_text?: string }>; checked?: boolean }
    | undefined;
  const text = (content?.rich_text ?? []).map((part) => part.plain_text ?? '').join('');
  switch (block.type) {
    case 'heading_1':
    case 'heading_2':
    case 'heading_3':
    case 'paragraph':
    case 'quote':
    case 'callout':
    case 'code':
      return text;
    case 'bulleted_list_item':
    case 'numbered_list_item':
      return text ? `• ${text}` : '';
    case 'to_do':
      return text ? `[${content?.checked ? 'x' : ' '}] ${text}` : '';
    default:
      return text;
  }
}

/** Blocks grouped under their headings; numbered list items numbered as they read ("1. ", "2. "). */
function sectionsOf(blocks: readonly NotionBlock[]): PageContent['sections'] {
  const sections: PageContent['sections'] = [];
  let current: { heading?: string; lines: string[] } = { lines: [] };
  let step = 0;
  const close = () => {
    if (current.lines.length)
      sections.push({
        ...(current.heading ? { heading: current.heading } : {}),
        text: current.lines.join('\n'),
      });
  };
  for (const block of blocks) {
    const text = richText(block);
    if (block.type.startsWith('heading_')) {
      close();
      current = { heading: text, lines: [] };
      step = 0;
      continue;
    }
    if (block.type === 'numbered_list_item') {
      step++;
      current.lines.push(`${step}. ${text}`);
      continue;
    }
    step = 0;
    const line = blockText(block);
    if (line) current.lines.push(line);
  }
  close();
  return sections;
}

function richText(block: NotionBlock): string {
  const content = block[block.type] as { rich_text?: Array<{ plain_text?: string }> } | undefined;
  return (content?.rich_text ?? []).map((part) => part.plain_text ?? '').join('');
}
