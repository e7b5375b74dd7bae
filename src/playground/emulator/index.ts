import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog, type RecordedCall } from './call-log.js';
import { sendJson } from './http.js';
import { SlackOAuth } from './oauth.js';
import { SlackOutbound } from './outbound.js';
import { type ResponseUrlFault, ResponseUrlFaults } from './response-faults.js';
import { ResponseUrls } from './response-urls.js';
import { SlackWebApi, type WebApiFault } from './web-api.js';
import { type EmulatedMessage, Workspace, type WorkspaceChange } from './workspace.js';

export type { RecordedCall } from './call-log.js';
export type { OAuthApp } from './oauth.js';
export { OAUTH_CODE_LIFETIME_MS, SlackOAuth } from './oauth.js';
export type {
  ButtonAction,
  Delivery,
  OutboundTransport,
  SendOptions,
  SignedRequest,
  TransportAnswer,
  ViewInputValues,
  ViewSubmissionDelivery,
} from './outbound.js';
export { SlackOutbound, signSlackRequest, VERIFICATION_TOKEN, viewStateValues } from './outbound.js';
export type { ResponseUrlFault } from './response-faults.js';
export type { ResponseUrlGrant, ResponseUrls } from './response-urls.js';
export { RESPONSE_URL_LIFETIME_MS, RESPONSE_URL_MAX_USES } from './response-urls.js';
export type { CustomMethodHandler, SlackWebApi, WebApiAnswer, WebApiFault } from './web-api.js';
export { MAX_MESSAGE_BLOCKS, permalinkOf } from './web-api.js';
export * from './workspace.js';

export interface SlackEmulatorOptions {
  /** The bot token deskhand is configured with; any other token gets `invalid_auth`. */
  botToken: string;
  /** The signing secret deskhand verifies requests with. */
  signingSecret: string;
  /** deskhand's `/slack/events` URL, where commands, interactions and events are posted. */
  targetUrl?: string;
  /** Path prefix of every emulator route, such as `/slack-emulator` when mounted on deskhand's server. */
  basePath?: string;
  /** Public origin (`http://host:port`) response URLs are built on when mounted with `handle`; `listen` sets it. */
  origin?: string;
  /** Clock in milliseconds for message timestamps, trigger and response URL expiry. */
  now?: () => number;
  /**
   * Deliver the bot's own channel posts back to it as `message` events (with `bot_id`), as Slack
   * does for an app subscribed to `message.channels`; off by default so tests count only what they send.
   */
  echoBotMessages?: boolean;
  /** The workspace's id, domain and name (T0DESKHAND, deskhand by default). */
  teamId?: string;
  teamDomain?: string;
  teamName?: string;
}

/** Another workspace on the same fake Slack: its id, domain and name. */
export interface TeamOptions {
  teamId: string;
  teamDomain: string;
  teamName?: string;
}

/**
 * An in-process Slack: the Web API subset deskhand calls, response URLs, and the signed requests
 * Slack sends to an app, all over one workspace. Serves the tests and the local playground alike.
 */
export class SlackEmulator {
  readonly workspace: Workspace;
  readonly outbound: SlackOutbound;
  readonly webApi: SlackWebApi;
  readonly responseUrls: ResponseUrls;
  readonly basePath: string;
  /** Slack's OAuth v2 (authorize page and `oauth.v2.access`), shared by every workspace of this fake. */
  readonly oauth: SlackOAuth;
  readonly #callLog = new CallLog();
  readonly #responseFaults = new ResponseUrlFaults(
    this.#callLog,
    (token) => `${this.baseUrl}/response/${token}`,
  );
  readonly #options: SlackEmulatorOptions;
  /** The other workspaces served on this fake's server. */
  readonly #teams: SlackEmulator[] = [];
  #origin: string | undefined;
  #server: Server | undefined;

  constructor(options: SlackEmulatorOptions) {
    this.basePath = normaliseBasePath(options.basePath ?? '');
    this.#origin = options.origin?.replace(/\/+$/, '');
    this.#options = options;
    this.workspace = new Workspace({
      ...(options.now ? { now: options.now } : {}),
      ...(options.teamId ? { teamId: options.teamId } : {}),
      ...(options.teamDomain ? { teamDomain: options.teamDomain } : {}),
      ...(options.teamName ? { teamName: options.teamName } : {}),
    });
    this.webApi = new SlackWebApi({
      workspace: this.workspace,
      callLog: this.#callLog,
      expectedToken: options.botToken,
      workspaceOfToken: (token) => this.#teams.find((team) => team.webApi.ownsToken(token))?.webApi,
    });
    this.oauth = new SlackOAuth({
      callLog: this.#callLog,
      now: () => this.workspace.now(),
      team: (teamId) => {
        const team = !teamId || teamId === this.workspace.teamId ? this : this.team(teamId);
        return team && { workspace: team.workspace, webApi: team.webApi };
      },
    });
    this.oauth.seedToken(this.workspace.teamId, options.botToken);
    this.responseUrls = new ResponseUrls({
      workspace: this.workspace,
      callLog: this.#callLog,
      baseUrl: () => this.baseUrl,
    });
    this.outbound = new SlackOutbound({
      signingSecret: options.signingSecret,
      workspace: this.workspace,
      responseUrls: this.responseUrls,
      ...(options.targetUrl ? { targetUrl: options.targetUrl } : {}),
    });
    if (options.echoBotMessages) this.#echoBotMessages();
  }

  #echoBotMessages(): void {
    this.workspace.changes.on('change', (change) => {
      if (change.type !== 'message' || !change.message.bot_id || change.message.ephemeralTo) return;
      const channel = this.workspace.channel(change.message.channel);
      if (!channel || channel.kind === 'im') return;
      // Slack does not wait for the app; an echo that cannot be delivered is simply lost.
      void this.outbound.messageEvent(change.message).catch(() => {});
    });
  }

  /** The public origin response URLs and the API URL are built on. */
  get origin(): string {
    if (!this.#origin) throw new Error('SlackEmulator has no origin yet: call listen() or set origin');
    return this.#origin;
  }

  set origin(origin: string) {
    this.#origin = origin.replace(/\/+$/, '');
    for (const team of this.#teams) team.origin = origin;
  }

  /**
   * Another workspace served on this fake's server, with its own users, channels, tokens and
   * outbound side; its Web API answers the tokens an install into it granted.
   */
  addTeam(options: TeamOptions): this {
    const Emulator = this.constructor as new (options: SlackEmulatorOptions) => this;
    const team = new Emulator({
      ...this.#options,
      ...options,
      botToken: `xoxb-${options.teamId.slice(1)}-${Math.random().toString(36).slice(2, 12)}`,
      origin: this.#origin,
    });
    this.#teams.push(team);
    this.oauth.seedToken(team.workspace.teamId, team.#options.botToken);
    return team;
  }

  /** The workspace with this id among those added, or undefined. */
  team(teamId: string): this | undefined {
    return this.#teams.find((team) => team.workspace.teamId === teamId) as this | undefined;
  }

  /**
   * Revokes the workspace's bot token, as an admin removing the app or Slack revoking it does:
   * calls with it answer `token_revoked`, and the next install grants a new token.
   */
  revokeTokens(root: SlackEmulator = this): string[] {
    root.oauth.forgetToken(this.workspace.teamId);
    return this.webApi.revokeTokens();
  }

  /** `<origin><basePath>`, the root of every emulator route. */
  get baseUrl(): string {
    return `${this.origin}${this.basePath}`;
  }

  /** The Web API base to give deskhand as `SLACK_API_URL`, ending in `/api/`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /**
   * Serves `<basePath>/api/<method>` and `<basePath>/response/<token>`; resolves false, leaving
   * the response untouched, for any other path so a host server can route it.
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    if (!path.startsWith(`${this.basePath}/`)) return false;
    const route = path.slice(this.basePath.length);
    if (route === '/oauth/v2/authorize' && (req.method === 'GET' || req.method === 'HEAD')) {
      this.oauth.handleAuthorize(req, res);
      return true;
    }
    const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(route);
    const response = /^\/response\/([A-Za-z0-9]+)$/.exec(route);
    if (!api && !response) return false;
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: 'method_not_allowed' }, { allow: 'POST' });
      return true;
    }
    try {
      if (api?.[1] === 'oauth.v2.access') await this.oauth.handleAccess(req, res);
      else if (api?.[1]) await this.webApi.handleWebApi(req, res, api[1]);
      else if (response?.[1]) {
        const token = response[1];
        if (await this.#responseFaults.apply(req, res, token)) return true;
        const owner = this.#teams.find((team) => team.responseUrls.has(token)) ?? this;
        await owner.responseUrls.handleResponseUrl(req, res, token);
      }
    } catch (error) {
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: 'fatal_error', detail: (error as Error).message });
    }
    return true;
  }

  /** Listens on 127.0.0.1 on its own server; `url` is the `SLACK_API_URL` to give deskhand. */
  async listen(port = 0): Promise<{ url: string; origin: string }> {
    const server = createServer((req, res) => {
      void this.handle(req, res).then((handled) => {
        if (!handled) sendJson(res, 404, { ok: false, error: 'not_found' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${address.port}`;
    return { url: this.apiUrl, origin: this.origin };
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Every Web API call (and `response_url` post) answered so far; only `method`'s when given. */
  calls(method?: string): RecordedCall[] {
    return this.#callLog.calls(method);
  }

  clearCalls(): void {
    this.#callLog.clear();
  }

  /** The first call of `method` matching `predicate`, already made or still to come. */
  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    return this.#callLog.waitForCall(method, predicate, timeoutMs);
  }

  /** Calls this listener with every call answered from now on; returns the unsubscribe function. */
  onCall(listener: (call: RecordedCall) => void): () => void {
    return this.#callLog.onCall(listener);
  }

  /** Makes the next `times` calls of a Web API method fail: a Slack error, a 429 with Retry-After, or a 5xx. */
  failNext(method: string, fault: WebApiFault, times = 1): void {
    this.webApi.failNext(method, fault, times);
  }

  /**
   * Makes the next `times` posts to any response URL fail before Slack applies them: a 5xx, a 429
   * with Retry-After, or the connection dropped without an answer. A failed post neither changes
   * a message nor uses up the URL.
   */
  failNextResponse(fault: ResponseUrlFault, times = 1): void {
    this.#responseFaults.add(fault, times);
  }

  /** Every message of the channel, replies and ephemeral messages included, oldest first. */
  messagesIn(channelId: string): EmulatedMessage[] {
    return this.workspace.messagesIn(channelId);
  }

  /** Ephemeral messages shown to this user, oldest first. */
  ephemeralFor(userId: string): EmulatedMessage[] {
    return this.workspace.ephemeralFor(userId);
  }

  /**
   * The first message, present or still to come, matching `predicate` (a message changed in
   * place counts in its new form); rejects after `timeoutMs`.
   */
  waitForMessage(
    predicate: (message: EmulatedMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<EmulatedMessage> {
    const existing = this.workspace.allMessages().find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onChange = (change: WorkspaceChange) => {
        if ((change.type === 'message' || change.type === 'message_changed') && predicate(change.message)) {
          clearTimeout(timer);
          this.workspace.changes.off('change', onChange);
          resolve(change.message);
        }
      };
      const timer = setTimeout(() => {
        this.workspace.changes.off('change', onChange);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.workspace.changes.on('change', onChange);
    });
  }
}

function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  if (!trimmed) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
