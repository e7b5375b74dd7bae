import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  App,
  HTTPReceiver,
  type HTTPReceiverOptions,
  type Installation,
  type InstallationStore,
} from '@slack/bolt';
import type { Logger } from 'pino';
import { boltLogger } from './bolt-logger.js';
import type { SlackDeps } from './deps.js';
import { registerListeners } from './listeners/index.js';

/** Bolt's OAuth callbacks (the type lives in @slack/oauth, which Bolt brings but does not re-export). */
type CallbackOptions = NonNullable<NonNullable<HTTPReceiverOptions['installerOptions']>['callbackOptions']>;
type CallbackError = Parameters<NonNullable<CallbackOptions['failure']>>[0];

export const INSTALL_PATH = '/slack/install';
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

/** Multi-workspace install: Bolt's InstallProvider with deskhand's installation store; no bot token. */
export interface OAuthConnection {
  kind: 'oauth';
  signingSecret: string;
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  installationStore: InstallationStore;
  /** The bot scopes to ask for: manifest.yml's. */
  scopes: string[];
  /** Slack's authorize page, `https://slack.com/oauth/v2/authorize` (the fake Slack's in tests). */
  authorizationUrl: string;
}

/** What Slack's OAuth pages need from the app: the Add to Slack page and the redirect back. */
export interface SlackInstaller {
  handleInstallPath(req: IncomingMessage, res: ServerResponse): Promise<void>;
  handleCallback(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface OAuthSlackAppOptions {
  connection: OAuthConnection;
  clientOptions: { slackApiUrl: string; retryConfig: Record<string, unknown> };
  deps: SlackDeps;
  logger: Logger;
  maxBodyBytes: number;
}

/**
 * The Bolt app for many workspaces: HTTPReceiver's InstallProvider runs the OAuth v2 flow and
 * authorizes every request with the token of the workspace it came from. A request from a
 * workspace with no installation reaches no listener: it is refused, logged, and its person told.
 */
export function createOAuthSlackApp(options: OAuthSlackAppOptions) {
  const { connection, deps } = options;
  const logger = boltLogger(options.logger);
  const callbackOptions: CallbackOptions = {
    success: (installation, _options, _req, res) => installed(options.logger, installation, res),
    failure: (error, _options, _req, res) => notInstalled(options.logger, error, res),
  };
  const receiver = new HTTPReceiver({
    signingSecret: connection.signingSecret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    bodyLimit: options.maxBodyBytes,
    logger,
    clientId: connection.clientId,
    clientSecret: connection.clientSecret,
    stateSecret: connection.stateSecret,
    installationStore: connection.installationStore,
    scopes: connection.scopes,
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: OAUTH_REDIRECT_PATH,
      authorizationUrl: connection.authorizationUrl,
      clientOptions: options.clientOptions,
      callbackOptions,
    },
  });
  const { installer } = receiver;
  if (!installer)
    throw new Error(
      'the OAuth installer was not created: clientId, clientSecret and stateSecret are all needed',
    );
  const app = new App({
    receiver,
    logger,
    clientOptions: options.clientOptions,
    extendedErrorHandler: true,
    convoStore: false, // no conversation state is kept in Bolt (see app.ts)
  });
  app.error(async ({ error, body }: { error: Error; body: unknown }) => {
    if (!isNotInstalled(error)) throw error;
    const team = teamOf(body);
    options.logger.warn(
      team,
      'refused a request from a workspace deskhand is not installed in (never installed, uninstalled or revoked): nothing was stored',
    );
    // Not awaited: Slack shows a response_url post only after the ack, which Bolt sends once this returns.
    void tellNotInstalled(body, options.logger);
  });
  registerListeners(app, deps);
  const slackInstaller: SlackInstaller = {
    handleInstallPath: (req, res) => installer.handleInstallPath(req, res, {}, { scopes: connection.scopes }),
    handleCallback: (req, res) => installer.handleCallback(req, res, callbackOptions),
  };
  return { app, requestListener: receiver.requestListener, installer: slackInstaller };
}

/** Whether an error is Bolt's authorization failure because no installation matched. */
function isNotInstalled(error: unknown): boolean {
  for (let current = error; current; current = (current as { original?: unknown }).original) {
    if ((current as Error).name === 'NotInstalledError') return true;
  }
  return false;
}

function teamOf(body: unknown): { teamId?: string; enterpriseId?: string } {
  const value = (body ?? {}) as {
    team_id?: string;
    team?: { id?: string };
    enterprise_id?: string;
    enterprise?: { id?: string };
  };
  return {
    teamId: value.team_id ?? value.team?.id,
    enterpriseId: value.enterprise_id ?? value.enterprise?.id,
  };
}

/** A slash command or a click carries a response_url: the person is told why nothing happened. */
async function tellNotInstalled(body: unknown, logger: Logger): Promise<void> {
  const responseUrl = (body as { response_url?: unknown } | undefined)?.response_url;
  if (
    typeof responseUrl !== 'string' ||
    (!responseUrl.startsWith('https://') && !responseUrl.startsWith('http://'))
  )
    return;
  try {
    await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        response_type: 'ephemeral',
        replace_original: false,
        text: ':no_entry: deskhand is not installed in this workspace any more. Ask a workspace admin to install it again.',
      }),
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    logger.info(`could not tell the person deskhand is not installed: ${(error as Error).message}`);
  }
}

function installed(logger: Logger, installation: Installation, res: ServerResponse): void {
  const where = installation.isEnterpriseInstall
    ? (installation.enterprise?.name ?? installation.enterprise?.id ?? 'your organisation')
    : (installation.team?.name ?? installation.team?.id ?? 'your workspace');
  logger.info(
    {
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
    },
    'deskhand installed',
  );
  page(
    res,
    200,
    'deskhand is installed',
    `deskhand is installed in ${escapeHtml(where)}. Try <code>/support</code> in Slack.`,
  );
}

/** The page for a failed install: what went wrong, in words the person (or the operator) can act on. */
function notInstalled(logger: Logger, error: CallbackError, res: ServerResponse): void {
  const slackError = (error as { data?: { error?: string } }).data?.error;
  const { status, message } = explainFailure(error.code, slackError);
  logger.warn({ code: error.code, slackError }, `OAuth install failed: ${message}`);
  page(res, status, 'deskhand was not installed', message);
}

function explainFailure(code: string, slackError: string | undefined): { status: number; message: string } {
  if (code === 'slack_oauth_invalid_state' || code === 'slack_oauth_missing_state')
    return {
      status: 400,
      message: `This install link has expired or was opened in another browser. Start again from ${INSTALL_PATH}.`,
    };
  if (code === 'slack_oauth_missing_code')
    return { status: 400, message: `Slack sent no authorization code. Start again from ${INSTALL_PATH}.` };
  if (code === 'slack_oauth_installer_authorization_error')
    return { status: 400, message: 'The installation was cancelled in Slack.' };
  if (slackError === 'invalid_code' || slackError === 'code_already_used' || slackError === 'code_expired')
    return {
      status: 400,
      message: `Slack did not accept the authorization code (${slackError}). Start again from ${INSTALL_PATH}.`,
    };
  if (slackError === 'bad_client_secret' || slackError === 'invalid_client_id')
    return {
      status: 500,
      message: `Slack refused deskhand's app credentials (${slackError}): check SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.`,
    };
  return {
    status: 500,
    message: `The installation could not be completed (${escapeHtml(slackError ?? code)}). Please try again.`,
  };
}

function page(res: ServerResponse, status: number, title: string, bodyHtml: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${bodyHtml}</p></body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
