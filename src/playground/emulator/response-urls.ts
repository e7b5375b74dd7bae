import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log.js';
import { readBody, sendJson } from './http.js';
import { messageContent, SlackApiError } from './web-api.js';
import { BOT_ID, BOT_USER_ID, type Workspace } from './workspace.js';

/** Slack accepts five posts to a response_url within 30 minutes. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;
/** Slack gives up on an app's ack after 3 seconds; a response URL post never waits longer for it. */
const ACK_WAIT_MS = 3000;

/** Where a response URL came from: a slash command's replies replace each other; an action's replace the message clicked. */
export interface ResponseUrlGrant {
  kind: 'command' | 'action' | 'shortcut';
  userId: string;
  channelId: string;
  /** The message `replace_original` and `delete_original` act on. */
  original?: { channel: string; ts: string };
}

export interface ResponseUrlsOptions {
  workspace: Workspace;
  callLog: CallLog;
  /** The emulator's public base, such as `http://127.0.0.1:4000/slack-emulator`; known only once it listens. */
  baseUrl: () => string;
}

interface IssuedUrl extends ResponseUrlGrant {
  issuedAt: number;
  uses: number;
  /** Settles once the app's ack has been shown; posts wait for it so they apply after the ack, as in Slack. */
  ackShown?: Promise<void>;
}

/** The response URLs handed out with commands and interactions, and what posting to them does. */
export class ResponseUrls {
  readonly #workspace: Workspace;
  readonly #callLog: CallLog;
  readonly #baseUrl: () => string;
  readonly #issued = new Map<string, IssuedUrl>();

  constructor(options: ResponseUrlsOptions) {
    this.#workspace = options.workspace;
    this.#callLog = options.callLog;
    this.#baseUrl = options.baseUrl;
  }

  /** A new response URL, `<base>/response/<token>`. */
  issue(grant: ResponseUrlGrant): string {
    const token = randomBytes(12).toString('hex');
    this.#issued.set(token, { ...grant, issuedAt: this.#workspace.now(), uses: 0 });
    return `${this.#baseUrl()}/response/${token}`;
  }

  /** Whether this workspace issued the response URL with this token. */
  has(token: string): boolean {
    return this.#issued.has(token);
  }

  /** Sets the message later `replace_original` posts replace, such as the reply a slash command acked with. */
  setOriginal(url: string, original: { channel: string; ts: string }): void {
    const issued = this.#issued.get(tokenOf(url));
    if (issued) issued.original = original;
  }

  /**
   * Holds posts to this URL until `ackShown` settles (at most Slack's 3-second ack window), so a
   * `respond()` racing the command's ack response replaces the acked reply instead of adding one.
   */
  holdUntil(url: string, ackShown: Promise<void>): void {
    const issued = this.#issued.get(tokenOf(url));
    if (issued) issued.ackShown = ackShown;
  }

  /** Serves `POST <basePath>/response/<token>` with the JSON body Bolt's `respond()` sends. */
  async handleResponseUrl(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const raw = await readBody(req);
    const ackShown = this.#issued.get(token)?.ackShown;
    if (ackShown) await waitAtMost(ackShown, ACK_WAIT_MS);
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        body = parsed as Record<string, unknown>;
      }
    } catch {
      body = undefined;
    }
    const answer = body
      ? this.respond(token, body)
      : { status: 400, body: { ok: false, error: 'invalid_payload' } };
    this.#callLog.record({
      method: 'response_url',
      args: { ...(body ?? { raw }), response_url: `${this.#baseUrl()}/response/${token}` },
      at: Date.now(),
      status: answer.status,
      response: answer.body,
    });
    sendJson(res, answer.status, answer.body);
  }

  /** Applies one response URL post to the workspace; the HTTP status and body Slack would answer. */
  respond(token: string, body: Record<string, unknown>): { status: number; body: Record<string, unknown> } {
    const issued = this.#issued.get(token);
    if (!issued || this.#workspace.now() - issued.issuedAt > RESPONSE_URL_LIFETIME_MS) {
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    }
    if (issued.uses >= RESPONSE_URL_MAX_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    issued.uses += 1;

    const original = issued.original
      ? this.#workspace.message(issued.original.channel, issued.original.ts)
      : undefined;
    if (isTrue(body.delete_original)) {
      if (!original) return { status: 404, body: { ok: false, error: 'message_not_found' } };
      this.#workspace.deleteMessage(original.channel, original.ts);
      return { status: 200, body: { ok: true } };
    }

    let content: ReturnType<typeof messageContent>;
    try {
      content = messageContent(body);
    } catch (error) {
      if (error instanceof SlackApiError) return { status: 400, body: { ok: false, error: error.code } };
      throw error;
    }

    if (isTrue(body.replace_original) && original) {
      this.#workspace.updateMessage(original.channel, original.ts, content);
      return { status: 200, body: { ok: true } };
    }

    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
    const message = this.#workspace.postMessage({
      channel: issued.channelId,
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      ...content,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(body.response_type === 'in_channel' ? {} : { ephemeralTo: issued.userId }),
    });
    if (issued.kind === 'command') issued.original = { channel: message.channel, ts: message.ts };
    return { status: 200, body: { ok: true } };
  }
}

async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
