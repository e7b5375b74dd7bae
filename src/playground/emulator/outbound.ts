import { createHmac } from 'node:crypto';
import type { ResponseUrls } from './response-urls.js';
import { messageJson, payloadChannelName } from './slack-json.js';
import {
  BOT_USER_ID,
  DEFAULT_USER_ID,
  type EmulatedChannel,
  type EmulatedMessage,
  type EmulatedUser,
  type EmulatedView,
  GENERAL_CHANNEL_ID,
  type JsonObject,
  SLACKBOT_USER_ID,
  type Workspace,
} from './workspace.js';

/** The legacy verification token Slack still puts in payloads; deskhand relies on signatures instead. */
export const VERIFICATION_TOKEN = 'emulatorVerificationToken';

export interface SlackOutboundOptions {
  /** deskhand's `/slack/events` URL; a function when it is known only once deskhand listens. */
  targetUrl?: string | (() => string);
  signingSecret: string;
  workspace: Workspace;
  /** Issues the response URLs that go with commands, actions and shortcuts. */
  responseUrls: ResponseUrls;
}

/** What an app answered one request with: its HTTP response, or in Socket Mode the ack as one. */
export interface TransportAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * Carries a request to the app instead of posting it to `targetUrl`: Socket Mode sends `payload`
 * in an envelope over the app's WebSocket and answers with its ack.
 */
export type OutboundTransport = (message: {
  payload: JsonObject;
  request: SignedRequest;
}) => Promise<TransportAnswer>;

/** Ways to send a request Slack would not, or to send it as Slack's retry. */
export interface SendOptions {
  /** Sent instead of the correct `v0=…` signature. */
  signature?: string;
  /** `X-Slack-Request-Timestamp` in seconds, instead of now; the signature is computed over it. */
  timestamp?: number;
  /** Signs with this secret instead of the configured one. */
  signingSecret?: string;
  /** Adds `X-Slack-Retry-Num`, as Slack does when it redelivers. */
  retryNum?: number;
  /** Adds `X-Slack-Retry-Reason`, such as `http_timeout`. */
  retryReason?: string;
  headers?: Record<string, string>;
}

/** A signed request exactly as it went out, so it can be resent byte for byte. */
export interface SignedRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** What deskhand answered, with the request and the payload that caused it. */
export interface Delivery {
  status: number;
  body: string;
  headers: Record<string, string>;
  request: SignedRequest;
  payload: JsonObject;
  /** For commands, actions and shortcuts. */
  triggerId?: string;
  /** For commands, message actions and shortcuts. */
  responseUrl?: string;
}

export interface ViewSubmissionDelivery extends Delivery {
  /** What the submission did to the modal, following the app's `response_action`. */
  outcome: 'closed' | 'updated' | 'pushed' | 'cleared' | 'errors' | 'failed';
  /** With `response_action: errors`: the messages, keyed by block_id. */
  errors?: Record<string, string>;
}

export interface ButtonAction {
  action_id: string;
  value?: string;
  /** Found in the message or view when omitted. */
  block_id?: string;
  type?: string;
}

/**
 * A value a person entered in a modal, keyed by action_id (or block_id): a string for text inputs,
 * selects, radio buttons and pickers (the option's value), an array for multi-selects and checkboxes,
 * or a ready state object such as `{ value: '…' }`.
 */
export type ViewInputValues = Record<string, string | string[] | JsonObject>;

/** `v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">`, Slack's request signature. */
export function signSlackRequest(signingSecret: string, timestampSeconds: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}

/** Slack's side of the conversation: builds, signs and posts what Slack sends to an app's request URL. */
export class SlackOutbound {
  readonly #workspace: Workspace;
  readonly #responseUrls: ResponseUrls;
  readonly #signingSecret: string;
  #targetUrl: string | (() => string) | undefined;
  #transport: OutboundTransport | undefined;

  constructor(options: SlackOutboundOptions) {
    this.#workspace = options.workspace;
    this.#responseUrls = options.responseUrls;
    this.#signingSecret = options.signingSecret;
    this.#targetUrl = options.targetUrl;
  }

  get targetUrl(): string {
    const target = typeof this.#targetUrl === 'function' ? this.#targetUrl() : this.#targetUrl;
    if (!target) throw new Error('SlackOutbound has no targetUrl: set it to the app’s /slack/events URL');
    return target;
  }

  set targetUrl(url: string | (() => string)) {
    this.#targetUrl = url;
  }

  /** Delivers every request through this transport (Socket Mode) instead of HTTP; undefined for HTTP again. */
  set transport(transport: OutboundTransport | undefined) {
    this.#transport = transport;
  }

  /**
   * Posts a slash command as Slack does, form-encoded. A reply in deskhand's ack becomes the
   * first (ephemeral unless `in_channel`) response, and a failing app shows Slack's error line.
   */
  async slashCommand(
    input: { userId?: string; channelId?: string; text: string; command?: string },
    options: SendOptions = {},
  ): Promise<Delivery> {
    const user = this.#user(input.userId ?? DEFAULT_USER_ID);
    const channel = this.#channel(input.channelId ?? GENERAL_CHANNEL_ID);
    const command = input.command ?? '/support';
    const triggerId = this.#workspace.issueTrigger(user.id);
    const responseUrl = this.#responseUrls.issue({ kind: 'command', userId: user.id, channelId: channel.id });
    const fields = {
      token: VERIFICATION_TOKEN,
      team_id: this.#workspace.teamId,
      team_domain: this.#workspace.teamDomain,
      channel_id: channel.id,
      channel_name: payloadChannelName(channel),
      user_id: user.id,
      user_name: user.name,
      command,
      text: input.text,
      api_app_id: this.#workspace.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    let ackShown: () => void = () => {};
    this.#responseUrls.holdUntil(
      responseUrl,
      new Promise<void>((resolve) => {
        ackShown = resolve;
      }),
    );
    try {
      const delivery = await this.#send(
        new URLSearchParams(fields).toString(),
        'application/x-www-form-urlencoded',
        fields,
        options,
      );
      this.#showCommandAck(delivery, command, user.id, channel.id, responseUrl);
      return { ...delivery, triggerId, responseUrl };
    } finally {
      ackShown();
    }
  }

  /** Posts a `block_actions` payload for a button clicked in a message or in a view. */
  async blockAction(
    input: {
      userId?: string;
      message?: { channel: string; ts: string };
      viewId?: string;
      action: ButtonAction;
      container?: JsonObject;
    },
    options: SendOptions = {},
  ): Promise<Delivery> {
    const user = this.#user(input.userId ?? DEFAULT_USER_ID);
    const triggerId = this.#workspace.issueTrigger(user.id);
    const common = {
      type: 'block_actions',
      user: this.#userRef(user),
      api_app_id: this.#workspace.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      team: this.#teamRef(),
      enterprise: null,
      is_enterprise_install: false,
    };

    if (input.viewId) {
      const view = this.#view(input.viewId);
      const action = this.#actionJson(input.action, view.view.blocks);
      const payload: JsonObject = {
        ...common,
        container: input.container ?? { type: 'view', view_id: view.id },
        view: view.view,
        actions: [action],
      };
      const delivery = await this.#sendPayload(payload, options);
      return { ...delivery, triggerId };
    }

    if (!input.message) throw new Error('blockAction needs a message or a viewId');
    const message = this.#message(input.message.channel, input.message.ts);
    const channel = this.#channel(message.channel);
    const action = this.#actionJson(input.action, message.blocks);
    const responseUrl = this.#responseUrls.issue({
      kind: 'action',
      userId: user.id,
      channelId: channel.id,
      original: { channel: message.channel, ts: message.ts },
    });
    const payload: JsonObject = {
      ...common,
      container: input.container ?? {
        type: 'message',
        message_ts: message.ts,
        channel_id: channel.id,
        is_ephemeral: message.ephemeralTo !== undefined,
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      },
      channel: { id: channel.id, name: payloadChannelName(channel) },
      // Slack leaves an ephemeral message out of the payload: the app never sees it again.
      ...(message.ephemeralTo ? {} : { message: messageJson(message, this.#workspace) }),
      state: { values: {} },
      response_url: responseUrl,
      actions: [action],
    };
    const delivery = await this.#sendPayload(payload, options);
    return { ...delivery, triggerId, responseUrl };
  }

  /**
   * Submits a modal: state.values built from the view's input blocks (entered values over initial
   * ones), then applies the app's `response_action` to the modal as Slack does.
   */
  async viewSubmission(
    input: { userId?: string; viewId: string; values?: ViewInputValues },
    options: SendOptions = {},
  ): Promise<ViewSubmissionDelivery> {
    const view = this.#view(input.viewId);
    const user = this.#user(input.userId ?? view.user);
    const values = viewStateValues(view.view, input.values ?? {});
    const submitted = this.#workspace.setViewState(view.id, values) ?? view;
    const triggerId = this.#workspace.issueTrigger(user.id);
    const payload: JsonObject = {
      type: 'view_submission',
      team: this.#teamRef(),
      user: this.#userRef(user),
      api_app_id: this.#workspace.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      view: submitted.view,
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const delivery = await this.#sendPayload(payload, options);
    return { ...delivery, triggerId, ...this.#applyViewResponse(delivery, submitted) };
  }

  /** Posts a `message_action` payload: the message shortcut used on a message. */
  async messageShortcut(
    input: { userId?: string; channelId: string; messageTs: string; callbackId?: string },
    options: SendOptions = {},
  ): Promise<Delivery> {
    const user = this.#user(input.userId ?? DEFAULT_USER_ID);
    const message = this.#message(input.channelId, input.messageTs);
    const channel = this.#channel(message.channel);
    const triggerId = this.#workspace.issueTrigger(user.id);
    const responseUrl = this.#responseUrls.issue({
      kind: 'shortcut',
      userId: user.id,
      channelId: channel.id,
    });
    const payload: JsonObject = {
      type: 'message_action',
      token: VERIFICATION_TOKEN,
      action_ts: this.#actionTs(),
      team: this.#teamRef(),
      user: this.#userRef(user),
      channel: { id: channel.id, name: payloadChannelName(channel) },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: input.callbackId ?? 'ask_support',
      trigger_id: triggerId,
      response_url: responseUrl,
      message_ts: message.ts,
      message: messageJson(message, this.#workspace),
    };
    const delivery = await this.#sendPayload(payload, options);
    return { ...delivery, triggerId, responseUrl };
  }

  /** Posts an Events API `event_callback` envelope around this event. */
  async event(event: JsonObject, options: SendOptions = {}): Promise<Delivery & { eventId: string }> {
    const eventId = this.#workspace.nextId('Ev');
    const eventTime = Math.floor(this.#workspace.now() / 1000);
    const envelope = {
      token: VERIFICATION_TOKEN,
      team_id: this.#workspace.teamId,
      context_team_id: this.#workspace.teamId,
      api_app_id: this.#workspace.appId,
      event: { event_ts: event.ts ?? this.#actionTs(), ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: eventTime,
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.#workspace.teamId,
          user_id: BOT_USER_ID,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(eventId).toString('base64url')}`,
    };
    const delivery = await this.#send(JSON.stringify(envelope), 'application/json', envelope, options);
    return { ...delivery, eventId };
  }

  /**
   * A person mentions the bot in a channel: the message appears in the workspace and an
   * `app_mention` event is delivered. The mention is prepended when the text lacks it.
   */
  async appMention(
    input: { userId?: string; channelId?: string; text: string; threadTs?: string },
    options: SendOptions = {},
  ): Promise<Delivery & { eventId: string; message: EmulatedMessage }> {
    const user = this.#user(input.userId ?? DEFAULT_USER_ID);
    const channel = this.#channel(input.channelId ?? GENERAL_CHANNEL_ID);
    const mention = `<@${BOT_USER_ID}>`;
    const text = input.text.includes(mention) ? input.text : `${mention} ${input.text}`;
    const message = this.#workspace.postMessage({
      channel: channel.id,
      user: user.id,
      text,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    });
    const delivery = await this.event(
      {
        type: 'app_mention',
        user: user.id,
        text,
        ts: message.ts,
        team: this.#workspace.teamId,
        channel: channel.id,
        event_ts: message.ts,
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      },
      options,
    );
    return { ...delivery, message };
  }

  /** A person writes to the bot in their DM: the message appears and a `message.im` event is delivered. */
  async directMessage(
    input: { userId?: string; text: string; threadTs?: string },
    options: SendOptions = {},
  ): Promise<Delivery & { eventId: string; message: EmulatedMessage }> {
    const user = this.#user(input.userId ?? DEFAULT_USER_ID);
    const channel = this.#workspace.dmWith(user.id);
    const message = this.#workspace.postMessage({
      channel: channel.id,
      user: user.id,
      text: input.text,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    });
    const delivery = await this.event(
      {
        type: 'message',
        user: user.id,
        text: input.text,
        ts: message.ts,
        team: this.#workspace.teamId,
        channel: channel.id,
        event_ts: message.ts,
        channel_type: 'im',
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      },
      options,
    );
    return { ...delivery, message };
  }

  /**
   * A person writes in a channel (a thread reply with `threadTs`): the message appears and a
   * `message` event is delivered (`message.channels`, or `message.groups` in a private channel).
   * A message that mentions the bot also gets its `app_mention` event, as Slack sends both.
   */
  async channelMessage(
    input: { userId?: string; channelId: string; text: string; threadTs?: string; broadcast?: boolean },
    options: SendOptions = {},
  ): Promise<Delivery & { eventId: string; message: EmulatedMessage; mention?: Delivery }> {
    const user = this.#user(input.userId ?? DEFAULT_USER_ID);
    const channel = this.#channel(input.channelId);
    const message = this.#workspace.postMessage({
      channel: channel.id,
      user: user.id,
      text: input.text,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    });
    const delivery = await this.messageEvent(
      message,
      {
        ...(input.broadcast && message.thread_ts ? { subtype: 'thread_broadcast' } : {}),
      },
      options,
    );
    const mentioned = input.text.includes(`<@${BOT_USER_ID}>`);
    const mention = mentioned
      ? await this.event({
          type: 'app_mention',
          user: user.id,
          text: input.text,
          ts: message.ts,
          team: this.#workspace.teamId,
          channel: channel.id,
          event_ts: message.ts,
          ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
        })
      : undefined;
    return { ...delivery, message, ...(mention ? { mention } : {}) };
  }

  /** The `message` event Slack sends for a message already in the workspace (a person's or the bot's echo). */
  async messageEvent(
    message: EmulatedMessage,
    extra: JsonObject = {},
    options: SendOptions = {},
  ): Promise<Delivery & { eventId: string }> {
    const channel = this.#channel(message.channel);
    const parent =
      message.thread_ts && message.thread_ts !== message.ts
        ? this.#workspace.message(channel.id, message.thread_ts)
        : undefined;
    return this.event(
      {
        ...messageJson(message, this.#workspace),
        channel: channel.id,
        event_ts: message.ts,
        channel_type: channelType(channel),
        ...(parent?.user ? { parent_user_id: parent.user } : {}),
        ...extra,
      },
      options,
    );
  }

  /** A person edits their message: it changes in place and a `message_changed` event is delivered. */
  async editMessage(
    input: { channelId: string; ts: string; text: string },
    options: SendOptions = {},
  ): Promise<Delivery & { eventId: string }> {
    const channel = this.#channel(input.channelId);
    const previous = this.#message(channel.id, input.ts);
    const updated = this.#workspace.updateMessage(channel.id, input.ts, { text: input.text }, previous.user);
    if (!updated) throw new Error(`no message ${input.ts} in ${channel.id}`);
    return this.event(
      {
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel: channel.id,
        channel_type: channelType(channel),
        ts: this.#workspace.nextTs(),
        message: messageJson(updated, this.#workspace),
        previous_message: messageJson(previous, this.#workspace),
      },
      options,
    );
  }

  /** A person joins a channel: Slack posts the join message and delivers it with subtype `channel_join`. */
  async channelJoin(
    input: { userId: string; channelId: string },
    options: SendOptions = {},
  ): Promise<Delivery & { eventId: string }> {
    const user = this.#user(input.userId);
    const channel = this.#channel(input.channelId);
    const message = this.#workspace.postMessage({
      channel: channel.id,
      user: user.id,
      text: `<@${user.id}> has joined the channel`,
    });
    return this.messageEvent(message, { subtype: 'channel_join' }, options);
  }

  /**
   * A person adds (or removes) an emoji reaction on a message: the message's reactions change and
   * a `reaction_added` (`reaction_removed`) event is delivered. Nothing is delivered when the
   * reaction was already there (or not there), as in Slack.
   */
  async reaction(
    input: { userId?: string; channelId: string; ts: string; name: string; removed?: boolean },
    options: SendOptions = {},
  ): Promise<(Delivery & { eventId: string }) | undefined> {
    const user = this.#user(input.userId ?? DEFAULT_USER_ID);
    const channel = this.#channel(input.channelId);
    const message = this.#message(channel.id, input.ts);
    const changed = input.removed
      ? this.#workspace.removeReaction(channel.id, message.ts, input.name, user.id)
      : this.#workspace.addReaction(channel.id, message.ts, input.name, user.id);
    if (!changed) return undefined;
    return this.event(
      {
        type: input.removed ? 'reaction_removed' : 'reaction_added',
        user: user.id,
        reaction: input.name,
        ...(message.user ? { item_user: message.user } : {}),
        item: { type: 'message', channel: channel.id, ts: message.ts },
        event_ts: this.#workspace.nextTs(),
      },
      options,
    );
  }

  /** Sends Slack's `url_verification` handshake; a correct app answers with the challenge. */
  async urlVerification(challenge = `challenge-${Date.now()}`, options: SendOptions = {}): Promise<Delivery> {
    const payload = { token: VERIFICATION_TOKEN, challenge, type: 'url_verification' };
    return this.#send(JSON.stringify(payload), 'application/json', payload, options);
  }

  /** Sends a request again byte for byte, signature included, optionally marked as Slack's retry. */
  async resend(
    request: SignedRequest,
    options: Pick<SendOptions, 'retryNum' | 'retryReason' | 'headers'> = {},
  ): Promise<Omit<Delivery, 'payload'>> {
    const headers = { ...request.headers, ...retryHeaders(options), ...options.headers };
    return this.#post({ url: request.url, body: request.body, headers });
  }

  /** The signed request this body would go out as, without sending it. */
  sign(body: string, contentType: string, options: SendOptions = {}): SignedRequest {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signature =
      options.signature ?? signSlackRequest(options.signingSecret ?? this.#signingSecret, timestamp, body);
    return {
      url: this.#transport ? 'socket-mode:' : this.targetUrl,
      body,
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        accept: 'application/json,*/*',
        ...retryHeaders(options),
        ...options.headers,
      },
    };
  }

  async #sendPayload(payload: JsonObject, options: SendOptions): Promise<Delivery> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.#send(body, 'application/x-www-form-urlencoded', payload, options);
  }

  async #send(
    body: string,
    contentType: string,
    payload: JsonObject,
    options: SendOptions,
  ): Promise<Delivery> {
    const request = this.sign(body, contentType, options);
    if (this.#transport) return { ...(await this.#transport({ payload, request })), request, payload };
    return { ...(await this.#post(request)), payload };
  }

  async #post(request: SignedRequest): Promise<Omit<Delivery, 'payload'>> {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, body: await response.text(), headers, request };
  }

  /** Shows what the app acked a slash command with, as Slack does: as the command's first response. */
  #showCommandAck(
    delivery: Delivery,
    command: string,
    userId: string,
    channelId: string,
    responseUrl: string,
  ): void {
    if (delivery.status !== 200) {
      this.#workspace.postMessage({
        channel: channelId,
        user: SLACKBOT_USER_ID,
        ephemeralTo: userId,
        text: `${command} failed with the error "dispatch_failed"`,
      });
      return;
    }
    const reply = parseAckBody(delivery.body);
    if (!reply) return;
    const text = typeof reply.text === 'string' ? reply.text : '';
    const blocks = Array.isArray(reply.blocks) ? (reply.blocks as JsonObject[]) : undefined;
    if (!text && !blocks) return;
    const message = this.#workspace.postMessage({
      channel: channelId,
      user: BOT_USER_ID,
      bot_id: this.#workspace.botId,
      text,
      ...(blocks ? { blocks } : {}),
      ...(reply.response_type === 'in_channel' ? {} : { ephemeralTo: userId }),
    });
    this.#responseUrls.setOriginal(responseUrl, { channel: message.channel, ts: message.ts });
  }

  #applyViewResponse(
    delivery: Delivery,
    view: EmulatedView,
  ): Pick<ViewSubmissionDelivery, 'outcome' | 'errors'> {
    if (delivery.status !== 200) return { outcome: 'failed' };
    const reply = parseAckBody(delivery.body) ?? {};
    const nextView =
      typeof reply.view === 'object' && reply.view !== null ? (reply.view as JsonObject) : undefined;
    switch (reply.response_action) {
      case 'errors': {
        const errors = (reply.errors ?? {}) as Record<string, string>;
        this.#workspace.reportViewErrors(view.id, errors);
        return { outcome: 'errors', errors };
      }
      case 'update':
        if (nextView) this.#workspace.updateView(view.id, nextView);
        return { outcome: 'updated' };
      case 'push':
        if (nextView) this.#workspace.openView(view.user, nextView, view);
        return { outcome: 'pushed' };
      case 'clear':
        this.#workspace.closeView(view.id, true);
        return { outcome: 'cleared' };
      default:
        this.#workspace.closeView(view.id);
        return { outcome: 'closed' };
    }
  }

  #actionJson(action: ButtonAction, blocks: unknown): JsonObject {
    const found = findElement(blocks, action.action_id);
    return {
      type: action.type ?? (typeof found?.element.type === 'string' ? found.element.type : 'button'),
      action_id: action.action_id,
      block_id: action.block_id ?? found?.blockId ?? '',
      text: found?.element.text ?? { type: 'plain_text', text: action.action_id, emoji: true },
      ...(action.value !== undefined || found?.element.value !== undefined
        ? { value: action.value ?? found?.element.value }
        : {}),
      ...(found?.element.style ? { style: found.element.style } : {}),
      action_ts: this.#actionTs(),
    };
  }

  #actionTs(): string {
    const ms = this.#workspace.now();
    return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
  }

  #teamRef(): JsonObject {
    return { id: this.#workspace.teamId, domain: this.#workspace.teamDomain };
  }

  #userRef(user: EmulatedUser): JsonObject {
    return { id: user.id, username: user.name, name: user.name, team_id: this.#workspace.teamId };
  }

  #user(id: string): EmulatedUser {
    const user = this.#workspace.user(id);
    if (!user) throw new Error(`no user ${id} in the emulated workspace`);
    return user;
  }

  #channel(id: string): EmulatedChannel {
    const channel = this.#workspace.channel(id);
    if (!channel) throw new Error(`no channel ${id} in the emulated workspace`);
    return channel;
  }

  #message(channel: string, ts: string): EmulatedMessage {
    const message = this.#workspace.message(channel, ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    return message;
  }

  #view(id: string): EmulatedView {
    const view = this.#workspace.view(id);
    if (!view) throw new Error(`no open view ${id}`);
    return view;
  }
}

/**
 * `view.state.values` as Slack builds it on submission: for every input block, the entered value
 * or else the element's initial value.
 */
export function viewStateValues(
  view: JsonObject,
  entered: ViewInputValues,
): Record<string, Record<string, JsonObject>> {
  const previous = ((view.state as JsonObject | undefined)?.values ?? {}) as Record<
    string,
    Record<string, JsonObject>
  >;
  const values: Record<string, Record<string, JsonObject>> = {};
  const blocks = Array.isArray(view.blocks) ? (view.blocks as JsonObject[]) : [];
  blocks.forEach((block, index) => {
    if (block.type !== 'input' || typeof block.element !== 'object' || block.element === null) return;
    const element = block.element as JsonObject;
    const blockId = typeof block.block_id === 'string' ? block.block_id : `block_${index}`;
    const actionId = typeof element.action_id === 'string' ? element.action_id : `action_${index}`;
    const given = entered[actionId] ?? entered[blockId] ?? entered[`${blockId}.${actionId}`];
    const state = given === undefined ? previous[blockId]?.[actionId] : undefined;
    values[blockId] = { [actionId]: state ?? elementState(element, given) };
  });
  return values;
}

function elementState(element: JsonObject, given: string | string[] | JsonObject | undefined): JsonObject {
  const type = String(element.type);
  if (given !== undefined && typeof given === 'object' && !Array.isArray(given)) return { type, ...given };
  const single = typeof given === 'string' ? given : undefined;
  const many = Array.isArray(given) ? given : undefined;
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return {
        type,
        selected_option: single !== undefined ? optionOf(element, single) : (element.initial_option ?? null),
      };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return {
        type,
        selected_options: many
          ? many.map((value) => optionOf(element, value))
          : single !== undefined
            ? [optionOf(element, single)]
            : (element.initial_options ?? []),
      };
    case 'datepicker':
      return { type, selected_date: single ?? element.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: single ?? element.initial_time ?? null };
    case 'users_select':
      return { type, selected_user: single ?? element.initial_user ?? null };
    case 'multi_users_select':
      return { type, selected_users: many ?? element.initial_users ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: single ?? element.initial_conversation ?? null };
    case 'channels_select':
      return { type, selected_channel: single ?? element.initial_channel ?? null };
    default:
      return {
        type,
        value: single ?? (typeof element.initial_value === 'string' ? element.initial_value : null),
      };
  }
}

function optionOf(element: JsonObject, value: string): JsonObject {
  const groups = Array.isArray(element.option_groups) ? (element.option_groups as JsonObject[]) : [];
  const options = [
    ...(Array.isArray(element.options) ? (element.options as JsonObject[]) : []),
    ...groups.flatMap((group) => (Array.isArray(group.options) ? (group.options as JsonObject[]) : [])),
  ];
  const option = options.find((o) => o.value === value);
  if (!option) throw new Error(`no option "${value}" in ${String(element.action_id)}`);
  return option;
}

function findElement(
  blocks: unknown,
  actionId: string,
): { blockId: string; element: JsonObject } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks as JsonObject[]) {
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    const candidates = [
      ...(Array.isArray(block.elements) ? (block.elements as JsonObject[]) : []),
      ...(block.accessory ? [block.accessory as JsonObject] : []),
      ...(block.element ? [block.element as JsonObject] : []),
    ];
    const element = candidates.find((e) => e.action_id === actionId);
    if (element) return { blockId, element };
  }
  return undefined;
}

function parseAckBody(body: string): JsonObject | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'object' && parsed !== null ? (parsed as JsonObject) : undefined;
  } catch {
    // A plain-text ack is shown as the text of the reply.
    return { text: trimmed };
  }
}

/** The `channel_type` of a message event: `channel` (public), `group` (private), `im` or `mpim`. */
function channelType(channel: EmulatedChannel): string {
  return channel.kind === 'public' ? 'channel' : channel.kind === 'private' ? 'group' : channel.kind;
}

function retryHeaders(options: Pick<SendOptions, 'retryNum' | 'retryReason'>): Record<string, string> {
  return {
    ...(options.retryNum !== undefined ? { 'x-slack-retry-num': String(options.retryNum) } : {}),
    ...(options.retryReason !== undefined ? { 'x-slack-retry-reason': options.retryReason } : {}),
  };
}
