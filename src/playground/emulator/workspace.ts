import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

/** A JSON object as Slack sends and receives it (blocks, views, payloads). */
export type JsonObject = Record<string, unknown>;

export const TEAM_ID = 'T0DESKHAND';
export const TEAM_DOMAIN = 'deskhand';
export const APP_ID = 'A0DESKHAND';
export const BOT_USER_ID = 'U0DESKBOT';
export const BOT_ID = 'B0DESKBOT';
export const DEFAULT_USER_ID = 'U0ASKER';
export const GENERAL_CHANNEL_ID = 'C0GENERAL';
export const SUPPORT_ALERTS_CHANNEL_ID = 'C0SUPPORT';
export const SUPPORT_DIGEST_CHANNEL_ID = 'C0DIGEST';
/** The playground's support channel: every new message there is a request. */
export const HELP_CHANNEL_ID = 'C0HELP';
export const BOT_DM_CHANNEL_ID = 'D0DESKHAND';
export const SLACKBOT_USER_ID = 'USLACKBOT';

/** Slack lets a trigger_id open a view for 3 seconds after the interaction that issued it. */
export const TRIGGER_LIFETIME_MS = 3000;
/** Slack keeps at most three views in a modal's stack. */
export const VIEW_STACK_LIMIT = 3;

export interface EmulatedUser {
  id: string;
  name: string;
  real_name: string;
  email?: string;
  is_bot: boolean;
  /** The bot's B… id, for the bot user only. */
  bot_id?: string;
}

export type ChannelKind = 'public' | 'private' | 'im' | 'mpim';

export interface EmulatedChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  /** For a DM: the human on the other side of the bot. */
  user?: string;
  created: number;
  /**
   * False for a channel the bot was not added to: Slack then hides a private one from the bot's
   * token (`channel_not_found`), while `/support` can still be typed there. Unset: a member.
   */
  botIsMember?: boolean;
}

export interface Reaction {
  name: string;
  users: string[];
  count: number;
}

export interface EmulatedMessage {
  ts: string;
  channel: string;
  /** The author; the bot user id for messages the bot posted. */
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: JsonObject[];
  thread_ts?: string;
  reply_count: number;
  /** The only user who sees this message; undefined for a message everyone in the channel sees. */
  ephemeralTo?: string;
  edited?: { user: string; ts: string };
  reactions?: Reaction[];
}

/** A Slack user group (`@support`), for responders named by group. */
export interface EmulatedUsergroup {
  id: string;
  handle: string;
  users: string[];
}

export interface EmulatedView {
  id: string;
  /** The view as Slack returns it: the app's view JSON plus id, hash, state and the other server fields. */
  view: JsonObject;
  user: string;
  hash: string;
  rootViewId: string;
  previousViewId?: string;
}

export type WorkspaceChange =
  | { type: 'message'; message: EmulatedMessage }
  | { type: 'message_changed'; message: EmulatedMessage; previous: EmulatedMessage }
  | { type: 'message_deleted'; channel: string; ts: string; previous: EmulatedMessage }
  | { type: 'view_opened'; view: EmulatedView }
  | { type: 'view_updated'; view: EmulatedView }
  | { type: 'view_closed'; view: EmulatedView }
  /** The app answered a view submission with `response_action: errors`; the view stays open. */
  | { type: 'view_errors'; view: EmulatedView; errors: Record<string, string> };

export interface NewMessage {
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  blocks?: JsonObject[];
  thread_ts?: string;
  ephemeralTo?: string;
}

export type TriggerCheck =
  | { ok: true; userId: string }
  | { ok: false; error: 'invalid_trigger_id' | 'expired_trigger_id' };

export interface WorkspaceOptions {
  /** Clock in milliseconds; message timestamps and trigger expiry follow it. */
  now?: () => number;
  /** Another workspace's id (`T…`) and domain, for a fake Slack serving several; the default is T0DESKHAND. */
  teamId?: string;
  teamDomain?: string;
  /** The workspace's display name, as `oauth.v2.access` returns it. */
  teamName?: string;
}

/**
 * The state of the emulated Slack workspace: users, channels, messages, open views and the
 * trigger ids interactions issued. Every change is emitted on `changes` so a page can stream it.
 */
export class Workspace {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly teamName: string;
  readonly appId = APP_ID;
  readonly botUserId = BOT_USER_ID;
  readonly botId = BOT_ID;
  /** Emits `change` with a {@link WorkspaceChange} after every change. */
  readonly changes = new EventEmitter<{ change: [WorkspaceChange] }>();

  readonly #now: () => number;
  readonly #users = new Map<string, EmulatedUser>();
  readonly #channels = new Map<string, EmulatedChannel>();
  readonly #messages: EmulatedMessage[] = [];
  readonly #views = new Map<string, EmulatedView>();
  readonly #usergroups = new Map<string, EmulatedUsergroup>();
  readonly #triggers = new Map<string, { userId: string; issuedAt: number; used: boolean }>();
  #lastTsMicros = 0;
  #sequence = 0;

  constructor(options: WorkspaceOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.teamId = options.teamId ?? TEAM_ID;
    this.teamDomain = options.teamDomain ?? TEAM_DOMAIN;
    this.teamName = options.teamName ?? this.teamDomain;
    this.changes.setMaxListeners(0);
    const created = Math.floor(this.#now() / 1000);
    this.addUser({ id: BOT_USER_ID, name: 'deskhand', real_name: 'deskhand', is_bot: true, bot_id: BOT_ID });
    this.addUser({
      id: DEFAULT_USER_ID,
      name: 'alex',
      real_name: 'Alex Asker',
      email: 'alex@example.com',
      is_bot: false,
    });
    this.addUser({
      id: 'U0AGENT1',
      name: 'sam',
      real_name: 'Sam Support',
      email: 'sam@example.com',
      is_bot: false,
    });
    this.addUser({
      id: 'U0AGENT2',
      name: 'riley',
      real_name: 'Riley Oncall',
      email: 'riley@example.com',
      is_bot: false,
    });
    this.addUser({ id: SLACKBOT_USER_ID, name: 'slackbot', real_name: 'Slackbot', is_bot: false });
    this.addChannel({ id: GENERAL_CHANNEL_ID, name: 'general', kind: 'public', created });
    this.addChannel({ id: SUPPORT_ALERTS_CHANNEL_ID, name: 'support-alerts', kind: 'public', created });
    this.addChannel({ id: SUPPORT_DIGEST_CHANNEL_ID, name: 'support-digest', kind: 'public', created });
    this.addChannel({ id: HELP_CHANNEL_ID, name: 'help', kind: 'public', created });
    this.addChannel({
      id: BOT_DM_CHANNEL_ID,
      name: DEFAULT_USER_ID,
      kind: 'im',
      user: DEFAULT_USER_ID,
      created,
    });
  }

  /** Milliseconds on the workspace's clock. */
  now(): number {
    return this.#now();
  }

  addUser(user: EmulatedUser): EmulatedUser {
    this.#users.set(user.id, user);
    return user;
  }

  user(id: string): EmulatedUser | undefined {
    return this.#users.get(id);
  }

  users(): EmulatedUser[] {
    return [...this.#users.values()];
  }

  addUsergroup(usergroup: EmulatedUsergroup): EmulatedUsergroup {
    this.#usergroups.set(usergroup.id, usergroup);
    return usergroup;
  }

  usergroup(id: string): EmulatedUsergroup | undefined {
    return this.#usergroups.get(id);
  }

  addChannel(channel: EmulatedChannel): EmulatedChannel {
    this.#channels.set(channel.id, channel);
    return channel;
  }

  /** The channel with this id, or with this name (`general` or `#general`). */
  channel(idOrName: string): EmulatedChannel | undefined {
    const byId = this.#channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    return [...this.#channels.values()].find((channel) => channel.kind !== 'im' && channel.name === name);
  }

  channels(): EmulatedChannel[] {
    return [...this.#channels.values()];
  }

  /** The DM between the bot and this user, created on first use. */
  dmWith(userId: string): EmulatedChannel {
    const existing = [...this.#channels.values()].find((c) => c.kind === 'im' && c.user === userId);
    if (existing) return existing;
    return this.addChannel({
      id: `D0${userId.replace(/^U0?/, '')}`,
      name: userId,
      kind: 'im',
      user: userId,
      created: Math.floor(this.#now() / 1000),
    });
  }

  /** A new message timestamp: seconds.microseconds on the clock, strictly increasing and unique. */
  nextTs(): string {
    const micros = Math.max(this.#now() * 1000, this.#lastTsMicros + 1);
    this.#lastTsMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** A fresh id with Slack's look: a prefix, a zero and uppercase alphanumerics. */
  nextId(prefix: string): string {
    this.#sequence += 1;
    return `${prefix}0${this.#sequence.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  postMessage(input: NewMessage): EmulatedMessage {
    const threadTs = input.thread_ts ? this.#threadRoot(input.channel, input.thread_ts) : undefined;
    const message: EmulatedMessage = {
      ts: this.nextTs(),
      channel: input.channel,
      text: input.text ?? '',
      reply_count: 0,
      ...(input.user ? { user: input.user } : {}),
      ...(input.bot_id ? { bot_id: input.bot_id } : {}),
      ...(input.blocks ? { blocks: input.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(input.ephemeralTo ? { ephemeralTo: input.ephemeralTo } : {}),
    };
    this.#messages.push(message);
    this.#emit({ type: 'message', message });
    if (threadTs && !message.ephemeralTo) {
      const parent = this.message(input.channel, threadTs);
      if (parent) {
        this.#replace(parent, { ...parent, thread_ts: threadTs, reply_count: parent.reply_count + 1 });
      }
    }
    return message;
  }

  message(channel: string, ts: string): EmulatedMessage | undefined {
    return this.#messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Replaces a message's text and blocks in place, as chat.update and response_url do. */
  updateMessage(
    channel: string,
    ts: string,
    content: { text?: string; blocks?: JsonObject[] },
    editor?: string,
  ): EmulatedMessage | undefined {
    const current = this.message(channel, ts);
    if (!current) return undefined;
    const { blocks: _previousBlocks, ...rest } = current;
    const next: EmulatedMessage = {
      ...rest,
      text: content.text ?? '',
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(editor ? { edited: { user: editor, ts: this.nextTs() } } : {}),
    };
    return this.#replace(current, next);
  }

  deleteMessage(channel: string, ts: string): EmulatedMessage | undefined {
    const index = this.#messages.findIndex((m) => m.channel === channel && m.ts === ts);
    if (index < 0) return undefined;
    const [removed] = this.#messages.splice(index, 1);
    if (!removed) return undefined;
    this.#emit({ type: 'message_deleted', channel, ts, previous: removed });
    if (removed.thread_ts && removed.thread_ts !== removed.ts && !removed.ephemeralTo) {
      const parent = this.message(channel, removed.thread_ts);
      if (parent) this.#replace(parent, { ...parent, reply_count: Math.max(0, parent.reply_count - 1) });
    }
    return removed;
  }

  /** Adds a reaction; false when this user already reacted with this name. */
  addReaction(channel: string, ts: string, name: string, userId: string): boolean {
    const current = this.message(channel, ts);
    if (!current) return false;
    const reactions = (current.reactions ?? []).map((r) => ({ ...r, users: [...r.users] }));
    const existing = reactions.find((r) => r.name === name);
    if (existing?.users.includes(userId)) return false;
    if (existing) {
      existing.users.push(userId);
      existing.count += 1;
    } else {
      reactions.push({ name, users: [userId], count: 1 });
    }
    this.#replace(current, { ...current, reactions });
    return true;
  }

  /** Removes a user's reaction; false when they had not reacted with this name. */
  removeReaction(channel: string, ts: string, name: string, userId: string): boolean {
    const current = this.message(channel, ts);
    const existing = current?.reactions?.find((r) => r.name === name);
    if (!current || !existing?.users.includes(userId)) return false;
    const reactions = (current.reactions ?? [])
      .map((r) =>
        r.name === name ? { ...r, users: r.users.filter((u) => u !== userId), count: r.count - 1 } : r,
      )
      .filter((r) => r.count > 0);
    const { reactions: _previous, ...rest } = current;
    this.#replace(current, reactions.length > 0 ? { ...rest, reactions } : rest);
    return true;
  }

  /** Every message of a channel, thread replies and ephemeral messages included, oldest first. */
  messagesIn(channelId: string): EmulatedMessage[] {
    return this.#messages.filter((m) => m.channel === channelId);
  }

  /** What conversations.history shows: top-level messages everyone sees, newest first. */
  history(channelId: string): EmulatedMessage[] {
    return this.messagesIn(channelId)
      .filter((m) => !m.ephemeralTo && (!m.thread_ts || m.thread_ts === m.ts))
      .reverse();
  }

  /** The thread's parent then its replies everyone sees, oldest first. */
  thread(channelId: string, threadTs: string): EmulatedMessage[] {
    return this.messagesIn(channelId).filter(
      (m) => !m.ephemeralTo && (m.ts === threadTs || m.thread_ts === threadTs),
    );
  }

  /** Ephemeral messages shown to this user, in every channel, oldest first. */
  ephemeralFor(userId: string): EmulatedMessage[] {
    return this.#messages.filter((m) => m.ephemeralTo === userId);
  }

  allMessages(): EmulatedMessage[] {
    return [...this.#messages];
  }

  /** Issues a trigger_id for an interaction by this user, valid for {@link TRIGGER_LIFETIME_MS}. */
  issueTrigger(userId: string): string {
    this.#sequence += 1;
    const trigger = `${this.#sequence}${Math.floor(this.#now())}.${this.teamId.slice(1)}.${randomHex(16)}`;
    this.#triggers.set(trigger, { userId, issuedAt: this.#now(), used: false });
    return trigger;
  }

  /** Spends a trigger_id: each opens one view, within its lifetime. */
  useTrigger(triggerId: string): TriggerCheck {
    const trigger = this.#triggers.get(triggerId);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used || this.#now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) {
      return { ok: false, error: 'expired_trigger_id' };
    }
    trigger.used = true;
    return { ok: true, userId: trigger.userId };
  }

  /** Opens a modal for a user; `previous` pushes it onto that view's stack. */
  openView(userId: string, view: JsonObject, previous?: EmulatedView): EmulatedView {
    const id = this.nextId('V');
    const record: EmulatedView = {
      id,
      user: userId,
      hash: this.#viewHash(),
      rootViewId: previous?.rootViewId ?? id,
      view: {},
      ...(previous ? { previousViewId: previous.id } : {}),
    };
    record.view = this.#viewJson(record, view);
    this.#views.set(id, record);
    this.#emit({ type: 'view_opened', view: record });
    return record;
  }

  view(id: string): EmulatedView | undefined {
    return this.#views.get(id);
  }

  viewByExternalId(externalId: string): EmulatedView | undefined {
    return [...this.#views.values()].find((v) => v.view.external_id === externalId);
  }

  /** Views open now, the top of each stack last. */
  openViews(userId?: string): EmulatedView[] {
    return [...this.#views.values()].filter((v) => !userId || v.user === userId);
  }

  /** The views of a modal's stack, root first. */
  viewStack(viewId: string): EmulatedView[] {
    const view = this.#views.get(viewId);
    if (!view) return [];
    return [...this.#views.values()].filter((v) => v.rootViewId === view.rootViewId);
  }

  updateView(viewId: string, view: JsonObject): EmulatedView | undefined {
    const current = this.#views.get(viewId);
    if (!current) return undefined;
    const next: EmulatedView = { ...current, hash: this.#viewHash() };
    next.view = this.#viewJson(next, view);
    this.#views.set(viewId, next);
    this.#emit({ type: 'view_updated', view: next });
    return next;
  }

  /** Records the values a person entered, as Slack keeps them in `view.state.values`. */
  setViewState(viewId: string, values: Record<string, Record<string, JsonObject>>): EmulatedView | undefined {
    const current = this.#views.get(viewId);
    if (!current) return undefined;
    const next: EmulatedView = { ...current, view: { ...current.view, state: { values } } };
    this.#views.set(viewId, next);
    return next;
  }

  /** Tells watchers the app refused a submission with these errors, keyed by block_id. */
  reportViewErrors(viewId: string, errors: Record<string, string>): void {
    const view = this.#views.get(viewId);
    if (view) this.#emit({ type: 'view_errors', view, errors });
  }

  /** Closes one view, and with `wholeStack` every view of its modal. */
  closeView(viewId: string, wholeStack = false): EmulatedView[] {
    const targets = wholeStack ? this.viewStack(viewId).reverse() : [this.#views.get(viewId)];
    const closed: EmulatedView[] = [];
    for (const view of targets) {
      if (!view || !this.#views.delete(view.id)) continue;
      closed.push(view);
      this.#emit({ type: 'view_closed', view });
    }
    return closed;
  }

  #threadRoot(channel: string, threadTs: string): string {
    const parent = this.message(channel, threadTs);
    return parent?.thread_ts ?? threadTs;
  }

  #replace(current: EmulatedMessage, next: EmulatedMessage): EmulatedMessage {
    const index = this.#messages.indexOf(current);
    this.#messages[index] = next;
    this.#emit({ type: 'message_changed', message: next, previous: current });
    return next;
  }

  #viewHash(): string {
    return `${Math.floor(this.#now() / 1000)}.${randomHex(8)}`;
  }

  #viewJson(record: EmulatedView, view: JsonObject): JsonObject {
    return {
      type: 'modal',
      private_metadata: '',
      callback_id: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      blocks: [],
      ...view,
      id: record.id,
      team_id: this.teamId,
      state: { values: {} },
      hash: record.hash,
      previous_view_id: record.previousViewId ?? null,
      root_view_id: record.rootViewId,
      app_id: APP_ID,
      app_installed_team_id: this.teamId,
      bot_id: BOT_ID,
    };
  }

  #emit(change: WorkspaceChange): void {
    this.changes.emit('change', change);
  }
}

function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}
