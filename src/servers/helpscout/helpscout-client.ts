import { ApiError, type ApiResponse, requestJson } from '../shared/rest.js';

export interface HelpscoutConversation {
  id: number;
  number: number;
  subject?: string;
  preview?: string;
  status?: string;
  type?: string;
  tags?: Array<{ tag?: string } | string>;
  mailboxId?: number;
  createdAt?: string;
  primaryCustomer?: { id?: number; email?: string };
}

/** One message of a conversation: the customer's, an agent's reply, a note. */
export interface HelpscoutThread {
  id: number;
  /** customer | reply | message | note | chat | phone | lineitem | forwardparent | forwardchild */
  type?: string;
  body?: string;
  createdAt?: string;
  createdBy?: { type?: string };
}

/** Who a customer thread is from: HelpScout takes the customer's id, or else an email. */
export type ThreadCustomer = { id: number } | { email: string };

export interface HelpscoutOptions {
  appId?: string;
  appSecret?: string;
  mailboxId?: string;
  apiUrl: string;
  timeoutMs?: number;
}

const TAG_SEARCH_MAX_PAGES = 5;

/** The slice of HelpScout's Mailbox API 2.0 deskhand uses, with the OAuth2 client-credentials token it needs. */
export class HelpscoutClient {
  private token: { value: string; expiresAt: number } | undefined;

  constructor(private readonly options: HelpscoutOptions) {}

  /** Conversations matching a query, newest first, across every status. */
  async searchConversations(query: string, limit: number, type?: string): Promise<HelpscoutConversation[]> {
    this.assertConfigured();
    const found: HelpscoutConversation[] = [];
    for (let page = 1; found.length < limit; page++) {
      const params = new URLSearchParams({
        query: `(${query.replace(/[()]/g, ' ')})`,
        mailbox: this.mailboxId(),
        status: 'all',
        page: String(page),
      });
      const { body } = await this.request<{
        _embedded?: { conversations?: HelpscoutConversation[] };
        page?: { totalPages?: number };
      }>(`/v2/conversations?${params}`, { method: 'GET' });
      const conversations = body?._embedded?.conversations ?? [];
      found.push(...conversations.filter((conversation) => !type || conversation.type === type));
      if (page >= (body?.page?.totalPages ?? 1) || conversations.length === 0) break;
    }
    return found.slice(0, limit);
  }

  /**
   * The conversation of this mailbox that carries `tag`, if any. Each result is checked: a search
   * that ignored the filter (a proxy, an API change) must not pass an unrelated customer's
   * conversation off as the one an earlier attempt filed.
   */
  async findByTag(tag: string): Promise<HelpscoutConversation | undefined> {
    this.assertConfigured();
    // A few pages at most: a search that honours the filter answers with one page of one result.
    for (let page = 1; page <= TAG_SEARCH_MAX_PAGES; page++) {
      const params = new URLSearchParams({
        tag,
        mailbox: this.mailboxId(),
        status: 'all',
        page: String(page),
      });
      const { body } = await this.request<{
        _embedded?: { conversations?: HelpscoutConversation[] };
        page?: { totalPages?: number };
      }>(`/v2/conversations?${params}`, { method: 'GET' });
      const conversations = body?._embedded?.conversations ?? [];
      const tagged = conversations.find(
        (conversation) =>
          String(conversation.mailboxId) === this.mailboxId() && conversationTags(conversation).includes(tag),
      );
      if (tagged) return tagged;
      if (page >= (body?.page?.totalPages ?? 1) || conversations.length === 0) return undefined;
    }
    return undefined;
  }

  /** Creates a conversation; HelpScout answers 201 with the new id in `Resource-ID`. */
  async createConversation(input: {
    email: string;
    subject: string;
    text: string;
    type: string;
    tags: string[];
  }): Promise<number> {
    this.assertConfigured();
    const { headers } = await this.request<unknown>('/v2/conversations', {
      method: 'POST',
      body: JSON.stringify({
        subject: input.subject,
        customer: { email: input.email },
        mailboxId: Number(this.mailboxId()),
        type: input.type,
        status: 'active',
        tags: input.tags,
        threads: [{ type: 'customer', customer: { email: input.email }, text: input.text }],
      }),
    });
    const id = Number(headers.get('resource-id'));
    if (!Number.isFinite(id) || id <= 0)
      throw new ApiError('HelpScout created the conversation but sent no Resource-ID', 502, true);
    return id;
  }

  /**
   * The agent's reply that answered a conversation: the latest reply (or outgoing message) an
   * agent wrote, as plain text; undefined when no agent answered.
   */
  async resolvingReply(id: number): Promise<string | undefined> {
    this.assertConfigured();
    const { body } = await this.request<{ _embedded?: { threads?: HelpscoutThread[] } }>(
      `/v2/conversations/${id}/threads`,
      { method: 'GET' },
    );
    const replies = (body?._embedded?.threads ?? [])
      .filter((thread) => (thread.type === 'reply' || thread.type === 'message') && thread.body)
      .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''));
    const text = replies[0]?.body ? htmlToText(replies[0].body) : '';
    return text || undefined;
  }

  /**
   * Adds a thread to a conversation: from the customer (`POST …/customer`, which reopens it) or an
   * internal note (`POST …/notes`). HelpScout answers 201 with the new thread's id in `Resource-ID`.
   */
  async addThread(
    conversationId: number,
    thread: { kind: 'customer'; customer: ThreadCustomer; text: string } | { kind: 'note'; text: string },
  ): Promise<number> {
    this.assertConfigured();
    const path = `/v2/conversations/${conversationId}/${thread.kind === 'customer' ? 'customer' : 'notes'}`;
    const body =
      thread.kind === 'customer' ? { customer: thread.customer, text: thread.text } : { text: thread.text };
    const { headers } = await this.request<unknown>(path, { method: 'POST', body: JSON.stringify(body) });
    const id = Number(headers.get('resource-id'));
    if (!Number.isFinite(id) || id <= 0)
      throw new ApiError('HelpScout added the thread but sent no Resource-ID', 502, true);
    return id;
  }

  async getConversation(id: number): Promise<HelpscoutConversation> {
    this.assertConfigured();
    const { body } = await this.request<HelpscoutConversation>(`/v2/conversations/${id}`, { method: 'GET' });
    return body;
  }

  /** Every credential is needed for every call: name all that are missing at once. */
  private assertConfigured(): void {
    const missing = (['HELPSCOUT_APP_ID', 'HELPSCOUT_APP_SECRET', 'HELPSCOUT_MAILBOX_ID'] as const).filter(
      (name) =>
        !{
          HELPSCOUT_APP_ID: this.options.appId,
          HELPSCOUT_APP_SECRET: this.options.appSecret,
          HELPSCOUT_MAILBOX_ID: this.options.mailboxId,
        }[name],
    );
    if (missing.length > 0) {
      throw new ApiError(
        `HelpScout is not configured: set ${missing.join(', ')} (create an OAuth2 app in HelpScout under Your Profile → My Apps)`,
        401,
        false,
      );
    }
  }

  private mailboxId(): string {
    if (!this.options.mailboxId)
      throw new ApiError(
        'HELPSCOUT_MAILBOX_ID is not set: set it to the id of the mailbox tickets go to',
        400,
        false,
      );
    return this.options.mailboxId;
  }

  private async request<T>(path: string, init: RequestInit, retriedAuth = false): Promise<ApiResponse<T>> {
    const token = await this.accessToken();
    try {
      return await requestJson<T>(
        `${this.base()}${path}`,
        {
          ...init,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        },
        {
          service: 'HelpScout',
          retryAfterHeader: 'x-ratelimit-retry-after',
          timeoutMs: this.options.timeoutMs,
          describeError: describeHelpscoutError,
        },
      );
    } catch (error) {
      // A token can be revoked or expire early: fetch a new one once.
      if (error instanceof ApiError && error.status === 401 && !retriedAuth) {
        this.token = undefined;
        return this.request<T>(path, init, true);
      }
      throw error;
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return this.token.value;
    if (!this.options.appId || !this.options.appSecret) {
      throw new ApiError(
        'HELPSCOUT_APP_ID and HELPSCOUT_APP_SECRET are not set: create an OAuth2 app in HelpScout (Your Profile → My Apps) and set both',
        401,
        false,
      );
    }
    const { body } = await requestJson<{ access_token: string; expires_in: number }>(
      `${this.base()}/v2/oauth2/token`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: this.options.appId,
          client_secret: this.options.appSecret,
        }).toString(),
      },
      {
        service: 'HelpScout',
        retryAfterHeader: 'x-ratelimit-retry-after',
        timeoutMs: this.options.timeoutMs,
        describeError: (status) =>
          status === 401 || status === 400
            ? 'HelpScout refused the app credentials: check HELPSCOUT_APP_ID and HELPSCOUT_APP_SECRET'
            : `HelpScout's token endpoint answered ${status}`,
      },
    );
    // Renew a minute early so a token never expires in the middle of a call.
    this.token = {
      value: body.access_token,
      expiresAt: Date.now() + Math.max(0, body.expires_in - 60) * 1000,
    };
    return body.access_token;
  }

  private base(): string {
    return this.options.apiUrl.replace(/\/$/, '');
  }
}

/** HelpScout's `{message, logRef, _embedded: {errors: [{path, message}]}}` as one sentence. */
export function describeHelpscoutError(status: number, body: unknown): string {
  const error = body as
    | {
        message?: string;
        logRef?: string;
        _embedded?: { errors?: Array<{ path?: string; message?: string }> };
      }
    | undefined;
  const details = (error?._embedded?.errors ?? [])
    .map((item) => [item.path, item.message].filter(Boolean).join(': '))
    .join('; ');
  const ref = error?.logRef ? ` (logRef ${error.logRef})` : '';
  if (status === 401) return `HelpScout rejected the access token${ref}`;
  if (status === 403) return `HelpScout refused access: check the app's permissions on the mailbox${ref}`;
  if (status === 404) return `HelpScout could not find it: check HELPSCOUT_MAILBOX_ID${ref}`;
  if (status >= 500) return `HelpScout is having trouble (status ${status}); try again later${ref}`;
  return `HelpScout refused the request: ${details || error?.message || `status ${status}`}${ref}`;
}

export function conversationUrl(conversation: { id: number; number: number }): string {
  return `https://secure.helpscout.net/conversation/${conversation.id}/${conversation.number}`;
}

/** A conversation's tags as plain names (HelpScout sends `{ id, tag }` objects; older payloads plain strings). */
export function conversationTags(conversation: HelpscoutConversation): string[] {
  return (conversation.tags ?? []).map((tag) => (typeof tag === 'string' ? tag : (tag.tag ?? '')));
}

/** A thread body (HTML) as plain text: paragraphs and line breaks as new lines, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(?:br|\/p|\/div|\/li|\/h[1-6])\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&rarr;/g, '→')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
