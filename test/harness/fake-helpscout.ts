import { FakeApi, type InjectedResponse, type RecordedRequest } from './fake-api.js';

export const FAKE_HELPSCOUT = { appId: 'fake-app-id', appSecret: 'fake-app-secret-123', mailboxId: '4242' };

/** A thread of a conversation, as HelpScout keeps it. */
export interface FakeThread {
  id: number;
  type: 'customer' | 'note' | 'reply';
  text: string;
  customerId?: number;
  /** The agent who wrote a reply or a note. */
  createdBy?: { id: number; first: string; last: string; email: string; type: 'user' | 'customer' };
  createdAt: string;
}

interface FakeConversation {
  id: number;
  customerId: number;
  threads: FakeThread[];
  number: number;
  subject: string;
  preview: string;
  status: string;
  type: string;
  tags: string[];
  email: string;
  createdAt: string;
  /** The agent's answer, HTML as HelpScout stores thread bodies; none for a conversation nobody answered. */
  reply?: string;
}

const SEED: Array<Pick<FakeConversation, 'subject' | 'preview' | 'status' | 'reply'>> = [
  {
    subject: 'Cannot reset password',
    reply:
      '<p>Hi there,</p><p>Reset emails sometimes land in the spam folder. Please check it, then request a new link from the sign-in page; only the latest link works.</p><p>Best,<br>Sam</p>',
    preview: 'The password reset email never arrived; resent after checking the spam folder.',
    status: 'closed',
  },
  {
    subject: 'Invoice for March',
    reply:
      '<p>Hello!</p><p>You can download every invoice as a PDF under Settings &rarr; Billing &rarr; Invoices. Add your VAT number there first and it will appear on new invoices.</p>',
    preview: 'Customer needed a copy of the March invoice with their VAT number.',
    status: 'closed',
  },
  {
    subject: 'SSO login loop with Okta',
    reply:
      '<div>The Okta app had the wrong audience URI. Set the audience to the Entity ID shown under Settings &gt; Security &gt; SSO, then sign in again.</div>',
    preview: 'Okta SAML assertion had the wrong audience; fixed in the app settings.',
    status: 'closed',
  },
  {
    subject: 'Dashboard down for everyone',
    reply:
      '<p>We had an outage on the dashboard for about 40 minutes. It is resolved now; you can follow incidents on the status page.</p>',
    preview: 'Outage confirmed on the status page; resolved after 40 minutes.',
    status: 'closed',
  },
  {
    subject: 'Payment failed on renewal',
    preview: 'Card declined by the bank; customer updated the card and retried.',
    status: 'active',
  },
  {
    subject: 'Export data to CSV',
    preview: 'Explained where to export projects as CSV from Settings → Data.',
    status: 'pending',
  },
  {
    subject: 'API rate limit 429',
    reply:
      '<p>The API allows 100 requests per minute per token. When you get a 429, wait for the number of seconds in the Retry-After header, then retry with exponential backoff.</p>',
    preview: 'Integration hit the 429 rate limit; advised exponential backoff.',
    status: 'closed',
  },
  {
    subject: 'Delete my account',
    reply:
      '<p>Your account deletion is scheduled. Everything is removed after 30 days; until then you can sign in to cancel it.</p>',
    preview: 'Account deletion requested; confirmed and scheduled.',
    status: 'closed',
  },
];

/** A fake of HelpScout's Mailbox API 2.0: OAuth2 client credentials, HAL conversations, Resource-ID, errors. */
export class FakeHelpScout extends FakeApi {
  readonly conversations: FakeConversation[] = SEED.map((seed, i) => ({
    ...seed,
    id: 1000 + i,
    number: 500 + i,
    type: 'email',
    tags: [],
    customerId: 9000 + i,
    threads: [],
    email: `customer${i}@example.com`,
    createdAt: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(),
  }));
  tokenLifetimeSeconds = 7200;
  /** Answers a `tag` search with every conversation, as a proxy or an API change that drops the filter would. */
  ignoreTagFilter = false;
  /** When set, reading a conversation's threads fails with HelpScout's 500. */
  threadsFail = false;
  tokensIssued = 0;
  private nextThreadId = 70_000;
  private readonly validTokens = new Set<string>();

  /** Makes every token issued so far invalid, as an expiry or a revocation would. */
  revokeTokens(): void {
    this.validTokens.clear();
  }

  conversation(id: number): FakeConversation | undefined {
    return this.conversations.find((candidate) => candidate.id === id);
  }

  /** An agent replies in HelpScout: the reply thread is added, and the webhook body HelpScout would send is returned. */
  agentReply(
    conversationId: number,
    agent: { first: string; last: string; email?: string },
    text: string,
  ): { thread: FakeThread; webhookBody: string } {
    const conversation = this.conversation(conversationId);
    if (!conversation) throw new Error(`no conversation ${conversationId}`);
    const thread: FakeThread = {
      id: this.nextThreadId++,
      type: 'reply',
      text,
      createdBy: { id: 77, type: 'user', email: agent.email ?? 'agent@example.com', ...agent },
      createdAt: new Date().toISOString(),
    };
    conversation.threads.push(thread);
    conversation.status = 'active';
    return { thread, webhookBody: JSON.stringify(webhookConversationJson(conversation)) };
  }

  /** The body of HelpScout's webhook for this conversation as it stands (status changes and replies). */
  webhookBody(conversationId: number): string {
    const conversation = this.conversation(conversationId);
    if (!conversation) throw new Error(`no conversation ${conversationId}`);
    return JSON.stringify(webhookConversationJson(conversation));
  }

  setStatus(id: number, status: string): void {
    const conversation = this.conversations.find((candidate) => candidate.id === id);
    if (conversation) conversation.status = status;
  }

  protected handle(request: RecordedRequest, url: URL): InjectedResponse {
    if (request.method === 'POST' && url.pathname === '/v2/oauth2/token') return this.token(request);
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !this.validTokens.has(token)) {
      return { status: 401, body: { message: 'Unauthorized', logRef: 'fake-401', error: 'invalid_token' } };
    }
    if (request.method === 'GET' && url.pathname === '/v2/conversations') return this.list(url);
    if (request.method === 'POST' && url.pathname === '/v2/conversations') return this.create(request);
    const threads = /^\/v2\/conversations\/(\d+)\/threads$/.exec(url.pathname);
    if (request.method === 'GET' && threads) {
      if (this.threadsFail) return { status: 500, body: { message: 'Internal error', logRef: 'fake-500' } };
      const conversation = this.conversations.find((candidate) => candidate.id === Number(threads[1]));
      return conversation
        ? { status: 200, body: threadsJson(conversation) }
        : { status: 404, body: { message: 'Resource not found', logRef: 'fake-404' } };
    }
    const threadPost = /^\/v2\/conversations\/(\d+)\/(customer|notes)$/.exec(url.pathname);
    if (request.method === 'POST' && threadPost)
      return this.addThread(Number(threadPost[1]), threadPost[2] as 'customer' | 'notes', request);
    const one = /^\/v2\/conversations\/(\d+)$/.exec(url.pathname);
    if (request.method === 'GET' && one) {
      const conversation = this.conversations.find((candidate) => candidate.id === Number(one[1]));
      return conversation
        ? { status: 200, body: conversationJson(conversation) }
        : { status: 404, body: { message: 'Resource not found', logRef: 'fake-404' } };
    }
    return { status: 404, body: { message: 'Resource not found', logRef: 'fake-404' } };
  }

  private token(request: RecordedRequest): InjectedResponse {
    const form = new URLSearchParams(request.body);
    if (
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_id') !== FAKE_HELPSCOUT.appId ||
      form.get('client_secret') !== FAKE_HELPSCOUT.appSecret
    ) {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Invalid client credentials' },
      };
    }
    this.tokensIssued++;
    const token = `fake-token-${this.tokensIssued}`;
    this.validTokens.add(token);
    return {
      status: 200,
      body: { token_type: 'bearer', access_token: token, expires_in: this.tokenLifetimeSeconds },
    };
  }

  private list(url: URL): InjectedResponse {
    if (url.searchParams.get('mailbox') !== FAKE_HELPSCOUT.mailboxId) {
      return {
        status: 400,
        body: {
          message: 'Bad request',
          logRef: 'fake-400',
          _embedded: { errors: [{ path: 'mailbox', message: 'Mailbox not found' }] },
        },
      };
    }
    const tag = url.searchParams.get('tag');
    const words = (url.searchParams.get('query') ?? '')
      .replace(/[()]/g, ' ')
      .toLowerCase()
      .split(/\W+/)
      .filter((word) => word.length > 2);
    const matches = this.conversations.filter((conversation) =>
      tag && !this.ignoreTagFilter
        ? conversation.tags.includes(tag)
        : words.length === 0 ||
          words.some((word) =>
            `${conversation.subject} ${conversation.preview}`.toLowerCase().includes(word),
          ),
    );
    const size = 3;
    const page = Number(url.searchParams.get('page') ?? 1);
    const totalPages = Math.max(1, Math.ceil(matches.length / size));
    return {
      status: 200,
      body: {
        _embedded: { conversations: matches.slice((page - 1) * size, page * size).map(conversationJson) },
        page: { size, totalElements: matches.length, totalPages, number: page },
      },
    };
  }

  /** `POST /v2/conversations/{id}/customer` and `/notes`: 201 with the thread id in Resource-ID, no body. */
  private addThread(
    conversationId: number,
    kind: 'customer' | 'notes',
    request: RecordedRequest,
  ): InjectedResponse {
    const conversation = this.conversation(conversationId);
    if (!conversation) return { status: 404, body: { message: 'Resource not found', logRef: 'fake-404' } };
    let body: { text?: unknown; customer?: { id?: unknown; email?: unknown } };
    try {
      body = JSON.parse(request.body || '{}');
    } catch {
      return { status: 400, body: { message: 'Malformed JSON', logRef: 'fake-400' } };
    }
    const errors = [
      typeof body.text !== 'string' || !body.text.trim()
        ? { path: 'text', message: 'may not be empty' }
        : undefined,
      kind === 'customer' && typeof body.customer?.id !== 'number' && typeof body.customer?.email !== 'string'
        ? { path: 'customer', message: 'must contain a valid customer id or an email address' }
        : undefined,
      kind === 'customer' &&
      typeof body.customer?.id === 'number' &&
      body.customer.id !== conversation.customerId
        ? { path: 'customer.id', message: 'customer not found' }
        : undefined,
    ].filter(Boolean);
    if (errors.length)
      return {
        status: 400,
        body: { message: 'Bad request', logRef: 'fake-validation', _embedded: { errors } },
      };
    const thread: FakeThread = {
      id: this.nextThreadId++,
      type: kind === 'customer' ? 'customer' : 'note',
      text: body.text as string,
      ...(kind === 'customer' ? { customerId: conversation.customerId } : {}),
      createdAt: new Date().toISOString(),
    };
    conversation.threads.push(thread);
    // A customer thread reopens the conversation; a note leaves its status alone.
    if (kind === 'customer') conversation.status = 'active';
    return {
      status: 201,
      headers: {
        'Resource-ID': String(thread.id),
        Location: `/v2/conversations/${conversationId}/threads/${thread.id}`,
      },
    };
  }

  private create(request: RecordedRequest): InjectedResponse {
    const body = JSON.parse(request.body || '{}') as {
      subject?: string;
      mailboxId?: number;
      type?: string;
      tags?: string[];
      customer?: { email?: string };
      threads?: Array<{ text?: string }>;
    };
    const errors = [
      !body.subject ? { path: 'subject', message: 'may not be empty' } : undefined,
      !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.customer?.email ?? '')
        ? { path: 'customer.email', message: 'must be a valid email address' }
        : undefined,
      String(body.mailboxId) !== FAKE_HELPSCOUT.mailboxId
        ? { path: 'mailboxId', message: 'mailbox not found' }
        : undefined,
      !body.threads?.length ? { path: 'threads', message: 'may not be empty' } : undefined,
    ].filter(Boolean);
    if (errors.length)
      return {
        status: 400,
        body: { message: 'Bad request', logRef: 'fake-validation', _embedded: { errors } },
      };
    const id = 2000 + this.conversations.length;
    this.conversations.push({
      id,
      number: 600 + this.conversations.length,
      subject: body.subject as string,
      preview: body.threads?.[0]?.text?.slice(0, 120) ?? '',
      status: 'active',
      type: body.type ?? 'email',
      tags: body.tags ?? [],
      customerId: 9500 + this.conversations.length,
      threads: [
        {
          id: this.nextThreadId++,
          type: 'customer',
          text: body.threads?.[0]?.text ?? '',
          createdAt: new Date().toISOString(),
        },
      ],
      email: body.customer?.email as string,
      createdAt: new Date().toISOString(),
    });
    return { status: 201, headers: { 'Resource-ID': String(id), Location: `/v2/conversations/${id}` } };
  }
}

function conversationJson(conversation: FakeConversation) {
  return {
    id: conversation.id,
    number: conversation.number,
    subject: conversation.subject,
    preview: conversation.preview,
    status: conversation.status,
    type: conversation.type,
    mailboxId: Number(FAKE_HELPSCOUT.mailboxId),
    tags: conversation.tags.map((tag, i) => ({ id: i + 1, tag })),
    primaryCustomer: { id: conversation.customerId, email: conversation.email },
    createdAt: conversation.createdAt,
    _links: { self: { href: `/v2/conversations/${conversation.id}` } },
  };
}

/** A conversation's threads as HelpScout lists them, newest first: the agent's reply (if any), then the customer's message. */
function threadsJson(conversation: FakeConversation) {
  const asked = Date.parse(conversation.createdAt);
  const threads = [
    ...(conversation.reply
      ? [
          {
            id: conversation.id * 10 + 2,
            type: 'reply',
            status: conversation.status,
            body: conversation.reply,
            createdBy: { id: 7, type: 'user', email: 'agent@acme.example' },
            createdAt: new Date(asked + 3_600_000).toISOString(),
          },
        ]
      : []),
    // A conversation filed through the API keeps its own first thread in `threads`.
    ...(conversation.threads.some((thread) => thread.type === 'customer')
      ? []
      : [
          {
            id: conversation.id * 10 + 1,
            type: 'customer',
            status: 'active',
            body: `<p>${conversation.preview}</p>`,
            createdBy: { id: 9, type: 'customer', email: conversation.email },
            createdAt: conversation.createdAt,
          },
        ]),
  ];
  // Threads added later (the customer's additions, notes, agent replies) come first: newest first.
  const added = webhookConversationJson(conversation).threads;
  const all = [...added, ...threads];
  return {
    _embedded: { threads: all },
    page: { size: 50, totalElements: all.length, totalPages: 1, number: 1 },
  };
}

/** A conversation as HelpScout's webhooks send it: threads newest first, bodies as HTML. */
function webhookConversationJson(conversation: FakeConversation) {
  return {
    ...conversationJson(conversation),
    threads: [...conversation.threads].reverse().map((thread) => ({
      id: thread.id,
      type: thread.type,
      body: `<p>${thread.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`,
      createdAt: thread.createdAt,
      createdBy: thread.createdBy ?? {
        id: conversation.customerId,
        type: 'customer',
        email: conversation.email,
        first: 'Alex',
        last: 'Asker',
      },
    })),
  };
}
