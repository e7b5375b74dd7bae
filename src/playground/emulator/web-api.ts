import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log.js';
import { readBody, sendJson } from './http.js';
import { channelJson, messageJson, userJson } from './slack-json.js';
import {
  BOT_ID,
  BOT_USER_ID,
  type EmulatedChannel,
  type EmulatedMessage,
  type EmulatedView,
  type JsonObject,
  VIEW_STACK_LIMIT,
  type Workspace,
} from './workspace.js';

/** Slack's limits that deskhand's card builders must respect. */
export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
export const MAX_MESSAGE_TEXT = 40_000;

/** What the next call(s) of a method should suffer instead of being answered. */
export type WebApiFault = { error: string } | { status: 429; retryAfterSeconds: number } | { status: number };

/** A Web API answer: HTTP status, JSON body and extra headers. */
export interface WebApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface SlackWebApiOptions {
  workspace: Workspace;
  callLog: CallLog;
  /** The only token accepted (more can be granted by an install); when unset any `xoxb-`/`xoxp-` token is. */
  expectedToken?: string;
  /** The Web API of the workspace a token belongs to, when it is not this one's (a fake Slack with several). */
  workspaceOfToken?: (token: string) => SlackWebApi | undefined;
}

type Args = Record<string, unknown>;
type MethodHandler = (args: Args) => Record<string, unknown>;
/**
 * A method that checks the token itself, such as one taking an app-level token rather than the
 * bot's; `viaHeader` says whether the token came in the Authorization header (not the body).
 */
export type CustomMethodHandler = (args: Args, token: string | undefined, viaHeader: boolean) => WebApiAnswer;

/** Arguments the WebClient JSON-stringifies when it posts form-encoded bodies. */
const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks']);

/** A Slack `ok: false` answer with this error code. */
export class SlackApiError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** The subset of Slack's Web API deskhand calls, answering like Slack, errors included. */
export class SlackWebApi {
  readonly #workspace: Workspace;
  readonly #callLog: CallLog;
  readonly #tokens = new Set<string>();
  readonly #revokedTokens = new Set<string>();
  readonly #workspaceOfToken: SlackWebApiOptions['workspaceOfToken'];
  readonly #faults = new Map<string, WebApiFault[]>();
  readonly #homeViews = new Map<string, JsonObject>();
  readonly #methods: Record<string, MethodHandler>;
  readonly #customMethods = new Map<string, CustomMethodHandler>();

  constructor(options: SlackWebApiOptions) {
    this.#workspace = options.workspace;
    this.#callLog = options.callLog;
    if (options.expectedToken) this.#tokens.add(options.expectedToken);
    this.#workspaceOfToken = options.workspaceOfToken;
    this.#methods = {
      'auth.test': () => this.#authTest(),
      'chat.postMessage': (args) => this.#postMessage(args),
      'chat.postEphemeral': (args) => this.#postEphemeral(args),
      'chat.update': (args) => this.#update(args),
      'chat.delete': (args) => this.#delete(args),
      'chat.getPermalink': (args) => this.#getPermalink(args),
      'views.open': (args) => this.#openView(args, false),
      'views.push': (args) => this.#openView(args, true),
      'views.update': (args) => this.#updateView(args),
      'views.publish': (args) => this.#publishView(args),
      'users.info': (args) => this.#userInfo(args),
      'users.lookupByEmail': (args) => this.#lookupByEmail(args),
      'conversations.info': (args) => ({ channel: channelJson(this.#visibleChannel(args.channel)) }),
      'conversations.open': (args) => this.#openConversation(args),
      'conversations.history': (args) => this.#history(args),
      'conversations.replies': (args) => this.#replies(args),
      'reactions.add': (args) => this.#addReaction(args),
      'reactions.remove': (args) => this.#removeReaction(args),
      'usergroups.users.list': (args) => {
        const usergroup = this.#workspace.usergroup(stringArg(args, 'usergroup') ?? '');
        if (!usergroup) throw new SlackApiError('no_such_subteam');
        return { users: [...usergroup.users] };
      },
    };
  }

  /** Serves `method` with this handler, which checks the token itself (e.g. `apps.connections.open`). */
  defineMethod(method: string, handler: CustomMethodHandler): void {
    this.#customMethods.set(method, handler);
  }

  /** Accepts this token from now on, as an install granting it does. */
  acceptToken(token: string): void {
    this.#tokens.add(token);
    this.#revokedTokens.delete(token);
  }

  /** Revokes every token of this workspace: calls with them get `token_revoked`. */
  revokeTokens(): string[] {
    const revoked = [...this.#tokens];
    for (const token of revoked) this.#revokedTokens.add(token);
    this.#tokens.clear();
    return revoked;
  }

  /** Whether this token was granted for this workspace (revoked ones included). */
  ownsToken(token: string): boolean {
    return this.#tokens.has(token) || this.#revokedTokens.has(token);
  }

  /** Makes the next `times` calls of `method` fail this way; queued faults apply in order. */
  failNext(method: string, fault: WebApiFault, times = 1): void {
    const queue = this.#faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.#faults.set(method, queue);
  }

  /** Serves `POST <basePath>/api/<methodName>` with a form-encoded or JSON body, as the WebClient sends it. */
  async handleWebApi(req: IncomingMessage, res: ServerResponse, methodName: string): Promise<void> {
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const parsed = parseArgs(raw, contentType);
    const headerToken = bearerToken(req.headers.authorization);
    const token = headerToken ?? stringArg(parsed.args, 'token');
    const { token: _bodyToken, ...args } = parsed.args;
    // Each workspace answers for its own tokens, as Slack does.
    const target = (token && !this.ownsToken(token) && this.#workspaceOfToken?.(token)) || this;
    const answer = parsed.error
      ? answerError(parsed.error)
      : target.call(methodName, args, token, headerToken !== undefined);
    target.#callLog.record({
      method: methodName,
      args,
      at: Date.now(),
      status: answer.status,
      response: answer.body,
    });
    sendJson(res, answer.status, answer.body, answer.headers);
  }

  /** Answers one call as Slack would, without HTTP: faults, then the method, then auth, then the method's work. */
  call(method: string, args: Args, token: string | undefined, viaHeader = false): WebApiAnswer {
    const fault = this.#faults.get(method)?.shift();
    if (fault) return faultAnswer(fault);
    const custom = this.#customMethods.get(method);
    if (custom) return custom(args, token, viaHeader);
    const handler = this.#methods[method];
    if (!handler) return answerError('unknown_method');
    if (!token) return answerError('not_authed');
    if (this.#revokedTokens.has(token)) return answerError('token_revoked');
    const strict = this.#tokens.size > 0 || this.#revokedTokens.size > 0;
    const tokenAccepted = strict ? this.#tokens.has(token) : /^xox[bp]-/.test(token);
    if (!tokenAccepted) return answerError('invalid_auth');
    try {
      return { status: 200, body: { ok: true, ...handler(args) }, headers: {} };
    } catch (error) {
      if (error instanceof SlackApiError) return answerError(error.code);
      throw error;
    }
  }

  #authTest(): Record<string, unknown> {
    const ws = this.#workspace;
    return {
      url: `https://${ws.teamDomain}.slack.com/`,
      team: ws.teamDomain,
      user: 'deskhand',
      team_id: ws.teamId,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    };
  }

  #postMessage(args: Args): Record<string, unknown> {
    const channel = this.#channel(args.channel);
    const content = messageContent(args);
    const message = this.#workspace.postMessage({
      channel: channel.id,
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      ...content,
      ...threadArg(args),
    });
    return { channel: channel.id, ts: message.ts, message: messageJson(message, this.#workspace) };
  }

  #postEphemeral(args: Args): Record<string, unknown> {
    const channel = this.#channel(args.channel);
    const userId = stringArg(args, 'user');
    if (!userId || !this.#workspace.user(userId)) throw new SlackApiError('user_not_found');
    const content = messageContent(args);
    const message = this.#workspace.postMessage({
      channel: channel.id,
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      ephemeralTo: userId,
      ...content,
      ...threadArg(args),
    });
    return { message_ts: message.ts };
  }

  #update(args: Args): Record<string, unknown> {
    const channel = this.#channel(args.channel);
    const current = this.#visibleMessage(channel, stringArg(args, 'ts'));
    if (current.bot_id !== BOT_ID) throw new SlackApiError('cant_update_message');
    const blocks = blocksArg(args);
    const text = stringArg(args, 'text');
    if (text === undefined && blocks === undefined) throw new SlackApiError('no_text');
    // As in Slack: omitted blocks are kept, an empty array removes them.
    const nextBlocks = blocks === undefined ? current.blocks : blocks.length > 0 ? blocks : undefined;
    const updated = this.#workspace.updateMessage(channel.id, current.ts, {
      text: text ?? (blocks === undefined ? current.text : ''),
      ...(nextBlocks ? { blocks: nextBlocks } : {}),
    });
    if (!updated) throw new SlackApiError('message_not_found');
    return {
      channel: channel.id,
      ts: updated.ts,
      text: updated.text,
      message: messageJson(updated, this.#workspace),
    };
  }

  #delete(args: Args): Record<string, unknown> {
    const channel = this.#channel(args.channel);
    const current = this.#visibleMessage(channel, stringArg(args, 'ts'));
    if (current.bot_id !== BOT_ID) throw new SlackApiError('cant_delete_message');
    this.#workspace.deleteMessage(channel.id, current.ts);
    return { channel: channel.id, ts: current.ts };
  }

  #getPermalink(args: Args): Record<string, unknown> {
    const channel = this.#channel(args.channel);
    const message = this.#visibleMessage(channel, stringArg(args, 'message_ts'));
    return { channel: channel.id, permalink: permalinkOf(this.#workspace, message) };
  }

  #openView(args: Args, push: boolean): Record<string, unknown> {
    const triggerId = stringArg(args, 'trigger_id') ?? stringArg(args, 'interactivity_pointer');
    if (!triggerId) throw new SlackApiError('invalid_arguments');
    const view = viewArg(args);
    const trigger = this.#workspace.useTrigger(triggerId);
    if (!trigger.ok) throw new SlackApiError(trigger.error);
    let previous: EmulatedView | undefined;
    if (push) {
      previous = this.#workspace.openViews(trigger.userId).at(-1);
      if (previous && this.#workspace.viewStack(previous.id).length >= VIEW_STACK_LIMIT) {
        throw new SlackApiError('push_limit_reached');
      }
    }
    const opened = this.#workspace.openView(trigger.userId, view, previous);
    return { view: opened.view };
  }

  #updateView(args: Args): Record<string, unknown> {
    const viewId = stringArg(args, 'view_id');
    const externalId = stringArg(args, 'external_id');
    if (!viewId && !externalId) throw new SlackApiError('invalid_arguments');
    const view = viewArg(args);
    const current = viewId
      ? this.#workspace.view(viewId)
      : this.#workspace.viewByExternalId(externalId ?? '');
    if (!current) throw new SlackApiError('not_found');
    const hash = stringArg(args, 'hash');
    if (hash && hash !== current.hash) throw new SlackApiError('hash_conflict');
    const updated = this.#workspace.updateView(current.id, view);
    if (!updated) throw new SlackApiError('not_found');
    return { view: updated.view };
  }

  /** views.publish: a user's Home tab, replaced whole on every publish. */
  #publishView(args: Args): Record<string, unknown> {
    const userId = stringArg(args, 'user_id');
    if (!userId) throw new SlackApiError('invalid_arguments');
    if (!this.#workspace.user(userId)) throw new SlackApiError('user_not_found');
    const raw = typeof args.view === 'string' ? parseJsonObject(args.view) : args.view;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new SlackApiError('invalid_arguments');
    const view = raw as JsonObject;
    const blocks = view.blocks;
    if (
      view.type !== 'home' ||
      !Array.isArray(blocks) ||
      blocks.length > MAX_VIEW_BLOCKS ||
      !blocks.every(isBlock)
    )
      throw new SlackApiError('invalid_arguments');
    const published = { id: this.#workspace.nextId('V'), team_id: this.#workspace.teamId, ...view };
    this.#homeViews.set(userId, published);
    return { view: published };
  }

  /** The Home tab last published for a user. */
  homeView(userId: string): JsonObject | undefined {
    return this.#homeViews.get(userId);
  }

  #userInfo(args: Args): Record<string, unknown> {
    const user = this.#workspace.user(stringArg(args, 'user') ?? '');
    if (!user) throw new SlackApiError('user_not_found');
    return { user: userJson(user, this.#workspace) };
  }

  #lookupByEmail(args: Args): Record<string, unknown> {
    const email = stringArg(args, 'email')?.toLowerCase();
    const user = this.#workspace.users().find((u) => email && u.email?.toLowerCase() === email);
    if (!user) throw new SlackApiError('users_not_found');
    return { user: userJson(user, this.#workspace) };
  }

  #openConversation(args: Args): Record<string, unknown> {
    const channelId = stringArg(args, 'channel');
    if (channelId) return { channel: { id: this.#channel(channelId).id } };
    const users = (stringArg(args, 'users') ?? '').split(',').filter(Boolean);
    if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
    if (users.length > 1) throw new SlackApiError('not_supported');
    const [userId = ''] = users;
    if (!this.#workspace.user(userId)) throw new SlackApiError('user_not_found');
    return { channel: { id: this.#workspace.dmWith(userId).id } };
  }

  #history(args: Args): Record<string, unknown> {
    const channel = this.#channel(args.channel);
    const limit = Number(args.limit ?? 100) || 100;
    const messages = this.#workspace.history(channel.id);
    return {
      messages: messages.slice(0, limit).map((m) => messageJson(m, this.#workspace)),
      has_more: messages.length > limit,
      pin_count: 0,
      response_metadata: { next_cursor: '' },
    };
  }

  #replies(args: Args): Record<string, unknown> {
    const channel = this.#channel(args.channel);
    const ts = stringArg(args, 'ts');
    const parent = ts ? this.#workspace.message(channel.id, ts) : undefined;
    if (!parent || parent.ephemeralTo) throw new SlackApiError('thread_not_found');
    const root = parent.thread_ts ?? parent.ts;
    return {
      messages: this.#workspace.thread(channel.id, root).map((m) => messageJson(m, this.#workspace)),
      has_more: false,
      response_metadata: { next_cursor: '' },
    };
  }

  #addReaction(args: Args): Record<string, unknown> {
    if (!args.channel || !args.timestamp) throw new SlackApiError('no_item_specified');
    const name = stringArg(args, 'name')?.replace(/:/g, '');
    if (!name) throw new SlackApiError('invalid_name');
    const channel = this.#channel(args.channel);
    const message = this.#visibleMessage(channel, stringArg(args, 'timestamp'));
    if (!this.#workspace.addReaction(channel.id, message.ts, name, BOT_USER_ID)) {
      throw new SlackApiError('already_reacted');
    }
    return {};
  }

  #removeReaction(args: Args): Record<string, unknown> {
    if (!args.channel || !args.timestamp) throw new SlackApiError('no_item_specified');
    const name = stringArg(args, 'name')?.replace(/:/g, '');
    if (!name) throw new SlackApiError('invalid_name');
    const channel = this.#channel(args.channel);
    const message = this.#visibleMessage(channel, stringArg(args, 'timestamp'));
    if (!this.#workspace.removeReaction(channel.id, message.ts, name, BOT_USER_ID)) {
      throw new SlackApiError('no_reaction');
    }
    return {};
  }

  /** The channel named by an argument: an id, a name, or a user id meaning the DM with that user. */
  #channel(value: unknown): EmulatedChannel {
    const id = typeof value === 'string' ? value : '';
    if (/^[UW]/.test(id) && this.#workspace.user(id)) return this.#workspace.dmWith(id);
    const channel = id ? this.#workspace.channel(id) : undefined;
    if (!channel) throw new SlackApiError('channel_not_found');
    return channel;
  }

  /** A channel the bot's token may see: a private one it was not added to is "not found", as Slack says. */
  #visibleChannel(value: unknown): EmulatedChannel {
    const channel = this.#channel(value);
    if (channel.kind !== 'public' && channel.botIsMember === false)
      throw new SlackApiError('channel_not_found');
    return channel;
  }

  /** A message everyone in the channel sees; ephemeral messages are out of the Web API's reach. */
  #visibleMessage(channel: EmulatedChannel, ts: string | undefined): EmulatedMessage {
    const message = ts ? this.#workspace.message(channel.id, ts) : undefined;
    if (!message || message.ephemeralTo) throw new SlackApiError('message_not_found');
    return message;
  }
}

/** A message's permalink, with the thread for a reply, as chat.getPermalink gives it. */
export function permalinkOf(workspace: Workspace, message: EmulatedMessage): string {
  const base = `https://${workspace.teamDomain}.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  return isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${message.channel}` : base;
}

/** Text and blocks of a message-posting call, validated as Slack does. */
export function messageContent(args: Args): { text: string; blocks?: JsonObject[] } {
  const blocks = blocksArg(args);
  const text = stringArg(args, 'text') ?? '';
  if (!text && (!blocks || blocks.length === 0) && !args.attachments) throw new SlackApiError('no_text');
  if (text.length > MAX_MESSAGE_TEXT) throw new SlackApiError('msg_too_long');
  return { text, ...(blocks && blocks.length > 0 ? { blocks } : {}) };
}

/** Blocks as given, or undefined when absent; `invalid_blocks` for anything Slack would refuse. */
export function blocksArg(args: Args): JsonObject[] | undefined {
  const blocks = args.blocks;
  if (blocks === undefined || blocks === null || blocks === '') return undefined;
  if (!Array.isArray(blocks) || blocks.length > MAX_MESSAGE_BLOCKS || !blocks.every(isBlock)) {
    throw new SlackApiError('invalid_blocks');
  }
  return blocks;
}

function isBlock(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && typeof (value as JsonObject).type === 'string';
}

function parseJsonObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function viewArg(args: Args): JsonObject {
  const view = args.view;
  if (typeof view !== 'object' || view === null || Array.isArray(view))
    throw new SlackApiError('invalid_arguments');
  const v = view as JsonObject;
  const blocks = v.blocks;
  const validBlocks = Array.isArray(blocks) && blocks.length <= MAX_VIEW_BLOCKS && blocks.every(isBlock);
  if (v.type !== 'modal' || typeof v.title !== 'object' || !validBlocks)
    throw new SlackApiError('invalid_arguments');
  return v;
}

function threadArg(args: Args): { thread_ts?: string } {
  const threadTs = stringArg(args, 'thread_ts');
  return threadTs ? { thread_ts: threadTs } : {};
}

function stringArg(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function parseArgs(raw: string, contentType: string): { args: Args; error?: string } {
  if (contentType.includes('application/json')) {
    if (!raw.trim()) return { args: {} };
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return { args: {}, error: 'invalid_json' };
      }
      return { args: parsed as Args };
    } catch {
      return { args: {}, error: 'invalid_json' };
    }
  }
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = JSON_ARGS.has(key) ? parseJsonArg(value) : value;
  }
  return { args };
}

/** A JSON-stringified form value; left as the string when it is not JSON, so validation can refuse it. */
function parseJsonArg(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function answerError(error: string): WebApiAnswer {
  return { status: 200, body: { ok: false, error }, headers: {} };
}

function faultAnswer(fault: WebApiFault): WebApiAnswer {
  if ('error' in fault) return answerError(fault.error);
  if (fault.status === 429) {
    const retryAfter = 'retryAfterSeconds' in fault ? fault.retryAfterSeconds : 1;
    return {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': String(retryAfter) },
    };
  }
  return { status: fault.status, body: { ok: false, error: 'fatal_error' }, headers: {} };
}
