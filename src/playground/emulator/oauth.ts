import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log.js';
import { readBody, sendJson } from './http.js';
import type { SlackWebApi } from './web-api.js';
import type { Workspace } from './workspace.js';

/** Slack's authorization codes are good for ten minutes, and once. */
export const OAUTH_CODE_LIFETIME_MS = 10 * 60 * 1000;

/** A Slack app that can be installed through OAuth v2, as its "Basic Information" page lists it. */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** The app's configured Redirect URL, used when the authorize URL names none. */
  redirectUri: string;
}

/** A workspace the fake Slack can install an app into: its state and its Web API. */
export interface InstallableTeam {
  workspace: Workspace;
  webApi: SlackWebApi;
}

export interface SlackOAuthOptions {
  callLog: CallLog;
  /** The workspace with this id, or the default one when no id is given. */
  team(teamId: string | undefined): InstallableTeam | undefined;
  now: () => number;
}

interface IssuedCode {
  clientId: string;
  teamId: string;
  scopes: string[];
  userScopes: string[];
  /** The redirect_uri the authorize request named; the exchange must name the same one. */
  redirectUri?: string;
  installerId: string;
  issuedAt: number;
  used: boolean;
}

/**
 * Slack's OAuth v2: the authorize page (a person approving the install, answered at once with the
 * redirect back to the app) and `oauth.v2.access`, which trades the code for the workspace's bot token.
 */
export class SlackOAuth {
  readonly #options: SlackOAuthOptions;
  readonly #apps = new Map<string, OAuthApp>();
  readonly #codes = new Map<string, IssuedCode>();
  /** The bot token each workspace's install granted, kept until revoked as Slack keeps it across reinstalls. */
  readonly #botTokens = new Map<string, string>();

  constructor(options: SlackOAuthOptions) {
    this.#options = options;
  }

  /** Makes an app installable with these credentials. */
  registerApp(app: OAuthApp): void {
    this.#apps.set(app.clientId, app);
  }

  /** The bot token an install into this workspace grants (until it is revoked). */
  seedToken(teamId: string, token: string): void {
    this.#botTokens.set(teamId, token);
  }

  /** Forgets a workspace's bot token (after it was revoked): the next install grants a new one. */
  forgetToken(teamId: string): void {
    this.#botTokens.delete(teamId);
  }

  /**
   * `GET /oauth/v2/authorize?client_id&scope&state&redirect_uri&team`: the installing person
   * approves at once, in the workspace named by `team` (Slack lets a link preselect it), and is sent
   * back to the app with `code` and `state`; `deny=1` stands for pressing Cancel.
   */
  handleAuthorize(req: IncomingMessage, res: ServerResponse): void {
    const refusal = this.#authorize(req);
    if ('error' in refusal) {
      page(res, 400, refusal.error);
      return;
    }
    res.writeHead(302, { location: refusal.location });
    res.end();
  }

  #authorize(req: IncomingMessage): { error: string } | { location: string } {
    const query = new URL(req.url ?? '/', 'http://slack').searchParams;
    const app = this.#apps.get(query.get('client_id') ?? '');
    if (!app) return { error: 'invalid_client_id' };
    const redirectUri = query.get('redirect_uri') ?? undefined;
    if (redirectUri && !sameRedirect(redirectUri, app.redirectUri)) return { error: 'bad_redirect_uri' };
    const scopes = splitScopes(query.get('scope'));
    if (scopes.length === 0) return { error: 'invalid_scope' };
    const team = this.#options.team(query.get('team') ?? undefined);
    if (!team) return { error: 'invalid_team' };
    const back = new URL(redirectUri ?? app.redirectUri);
    const state = query.get('state');
    if (query.get('deny') === '1') {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = `${team.workspace.teamId}.${randomBytes(12).toString('hex')}`;
      this.#codes.set(code, {
        clientId: app.clientId,
        teamId: team.workspace.teamId,
        scopes,
        userScopes: splitScopes(query.get('user_scope')),
        redirectUri,
        installerId: query.get('user') ?? 'U0ASKER',
        issuedAt: this.#options.now(),
        used: false,
      });
      back.searchParams.set('code', code);
    }
    if (state !== null) back.searchParams.set('state', state);
    return { location: back.toString() };
  }

  /** `POST /api/oauth.v2.access`: client credentials as form fields or HTTP Basic, as Slack accepts both. */
  async handleAccess(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const basic = basicAuth(req.headers.authorization);
    const clientId = basic?.user ?? form.get('client_id') ?? '';
    const clientSecret = basic?.password ?? form.get('client_secret') ?? '';
    const body = this.#exchange(clientId, clientSecret, form);
    const { client_secret: _secret, ...args } = Object.fromEntries(form);
    this.#options.callLog.record({
      method: 'oauth.v2.access',
      args,
      at: Date.now(),
      status: 200,
      response: body,
    });
    sendJson(res, 200, body);
  }

  #exchange(clientId: string, clientSecret: string, form: URLSearchParams): Record<string, unknown> {
    const fail = (error: string) => ({ ok: false, error });
    const app = this.#apps.get(clientId);
    if (!app) return fail('invalid_client_id');
    if (clientSecret !== app.clientSecret) return fail('bad_client_secret');
    if (form.get('grant_type') === 'refresh_token') return fail('invalid_refresh_token');
    const code = this.#codes.get(form.get('code') ?? '');
    if (!code || code.clientId !== clientId) return fail('invalid_code');
    if (code.used) return fail('code_already_used');
    if (this.#options.now() - code.issuedAt > OAUTH_CODE_LIFETIME_MS) return fail('code_expired');
    const redirectUri = form.get('redirect_uri') ?? undefined;
    if (code.redirectUri && redirectUri !== code.redirectUri) return fail('bad_redirect_uri');
    const team = this.#options.team(code.teamId);
    if (!team) return fail('invalid_code');
    code.used = true;

    const { workspace, webApi } = team;
    const token =
      this.#botTokens.get(workspace.teamId) ??
      `xoxb-${workspace.teamId.slice(1)}-${randomBytes(10).toString('hex')}`;
    this.#botTokens.set(workspace.teamId, token);
    webApi.acceptToken(token);
    return {
      ok: true,
      access_token: token,
      token_type: 'bot',
      scope: code.scopes.join(','),
      bot_user_id: workspace.botUserId,
      app_id: workspace.appId,
      team: { name: workspace.teamName, id: workspace.teamId },
      enterprise: null,
      authed_user: {
        id: code.installerId,
        ...(code.userScopes.length > 0 ? { scope: code.userScopes.join(',') } : {}),
      },
      is_enterprise_install: false,
    };
  }
}

function splitScopes(value: string | null): string[] {
  return (value ?? '')
    .split(/[,\s]+/)
    .map((scope) => scope.trim())
    .filter(Boolean);
}

/** Slack compares the scheme, host and path of a redirect URI with the configured one. */
function sameRedirect(given: string, configured: string): boolean {
  try {
    const a = new URL(given);
    const b = new URL(configured);
    return a.origin === b.origin && a.pathname.startsWith(b.pathname);
  } catch {
    return false;
  }
}

function basicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function page(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><title>Slack</title><p>Something went wrong when authorizing this app: ${error}</p>`,
  );
}
