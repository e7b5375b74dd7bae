import { FakeApi, type InjectedResponse, type RecordedRequest } from './fake-api.js';

export const FAKE_NOTION_TOKEN = 'secret_fake_notion_token';

interface FakePage {
  id: string;
  title: string;
  blocks: Array<{ type: string; text: string; checked?: boolean }>;
}

const PAGES: FakePage[] = [
  {
    id: '1a2b3c4d-0000-4000-8000-000000000001',
    title: 'Password reset runbook',
    blocks: [
      { type: 'heading_2', text: 'When a customer cannot reset their password' },
      {
        type: 'paragraph',
        text: 'Check that the reset email was not caught by a spam filter, then resend it from the admin console.',
      },
      { type: 'to_do', text: 'Confirm the account email address', checked: true },
      { type: 'bulleted_list_item', text: 'Reset links expire after 60 minutes.' },
    ],
  },
  {
    id: '1a2b3c4d-0000-4000-8000-000000000002',
    title: 'Refund policy',
    blocks: [
      { type: 'paragraph', text: 'Refunds are possible within 30 days of a payment for annual plans.' },
    ],
  },
  {
    id: '1a2b3c4d-0000-4000-8000-000000000003',
    title: 'On-call handbook',
    // More blocks than one page of the API holds: reading them needs start_cursor.
    blocks: Array.from({ length: 130 }, (_, i) => ({
      type: 'numbered_list_item',
      text: `Step ${i + 1}: escalate outages to the on-call engineer`,
    })),
  },
  {
    id: '1a2b3c4d-0000-4000-8000-000000000004',
    title: 'SSO setup with Okta',
    blocks: [
      {
        type: 'paragraph',
        text: 'Single sign-on with Okta uses SAML 2.0; upload the metadata XML in Settings → Security.',
      },
    ],
  },
];

/** A fake of the Notion REST API (search, block children) with Notion's auth, paging and error objects. */
export class FakeNotion extends FakeApi {
  constructor(private readonly token = FAKE_NOTION_TOKEN) {
    super();
  }

  protected handle(request: RecordedRequest, url: URL): InjectedResponse {
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return notionError(401, 'unauthorized', 'API token is invalid.');
    }
    if (!request.headers['notion-version'])
      return notionError(400, 'missing_version', 'Notion-Version header failed validation.');
    if (request.method === 'POST' && url.pathname === '/v1/search') {
      const {
        query = '',
        page_size = 100,
        filter,
      } = JSON.parse(request.body || '{}') as {
        query?: string;
        page_size?: number;
        filter?: { value?: string };
      };
      if (filter && filter.value !== 'page')
        return notionError(400, 'validation_error', 'filter.value should be page or database');
      const words = query
        .toLowerCase()
        .split(/\W+/)
        .filter((word) => word.length > 2);
      const matches = PAGES.filter((page) => {
        const text = `${page.title} ${page.blocks.map((block) => block.text).join(' ')}`.toLowerCase();
        return words.some((word) => text.includes(word));
      });
      return {
        status: 200,
        body: {
          object: 'list',
          results: matches.slice(0, page_size).map(pageJson),
          has_more: false,
          next_cursor: null,
        },
      };
    }
    const children = /^\/v1\/blocks\/([^/]+)\/children$/.exec(url.pathname);
    if (request.method === 'GET' && children) {
      const page = PAGES.find((candidate) => candidate.id === decodeURIComponent(children[1] as string));
      if (!page)
        return notionError(
          404,
          'object_not_found',
          'Could not find block. Make sure the relevant pages and databases are shared with your integration.',
        );
      const size = Math.min(100, Number(url.searchParams.get('page_size') ?? 100));
      const start = Number(url.searchParams.get('start_cursor') ?? 0);
      const slice = page.blocks.slice(start, start + size);
      const hasMore = start + size < page.blocks.length;
      return {
        status: 200,
        body: {
          object: 'list',
          results: slice.map((block, i) => blockJson(page.id, start + i, block)),
          has_more: hasMore,
          next_cursor: hasMore ? String(start + size) : null,
        },
      };
    }
    return notionError(400, 'invalid_request_url', 'Invalid request URL.');
  }
}

function notionError(status: number, code: string, message: string): InjectedResponse {
  return { status, body: { object: 'error', status, code, message } };
}

function pageJson(page: FakePage) {
  return {
    object: 'page',
    id: page.id,
    url: `https://www.notion.so/${page.title.replace(/\W+/g, '-')}-${page.id.replace(/-/g, '')}`,
    properties: {
      Name: {
        id: 'title',
        type: 'title',
        title: [{ type: 'text', plain_text: page.title, text: { content: page.title } }],
      },
    },
  };
}

function blockJson(pageId: string, index: number, block: FakePage['blocks'][number]) {
  return {
    object: 'block',
    id: `${pageId.slice(0, 30)}${String(index).padStart(6, '0')}`,
    type: block.type,
    has_children: false,
    [block.type]: {
      rich_text: [{ type: 'text', plain_text: block.text }],
      ...(block.type === 'to_do' ? { checked: block.checked ?? false } : {}),
    },
  };
}
