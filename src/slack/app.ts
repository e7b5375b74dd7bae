import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { ConfigError } from '../config/errors.js';
import { boltFetch } from './bolt-fetch.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackDeps } from './deps.js';
import { slackClientDefaults } from './keep-alive-fetch.js';
import { registerListeners } from './listeners/index.js';
import { createOAuthSlackApp, type OAuthConnection, type SlackInstaller } from './oauth-app.js';

export type SlackConnection =
  | { kind: 'http'; botToken: string; signingSecret: string }
  | { kind: 'socket'; botToken: string; appToken: string }
  | OAuthConnection;

export interface SlackAppOptions {
  connection: SlackConnection;
  slackApiUrl: string;
  deps: SlackDeps;
  logger: Logger;
  maxBodyBytes: number;
}

export interface SlackApp {
  app: App;
  /** Handles `POST /slack/events` (HTTP mode); mounted on deskhand's own server. */
  requestListener?: RequestListener;
  /** The Add to Slack page and OAuth redirect (multi-workspace install only). */
  installer?: SlackInstaller;
  /** Opens the Socket Mode connection (Socket Mode only). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The Bolt app with every listener registered, on the HTTP receiver or in Socket Mode. */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const logger = boltLogger(options.logger);
  // Bolt's respond() posts (the answer card) are sent again when Slack fails for a moment.
  const clientOptions = {
    ...slackClientDefaults,
    fetch: boltFetch(options.slackApiUrl),
    slackApiUrl: options.slackApiUrl,
  };
  // `convoStore: false` everywhere: deskhand keeps no state in Bolt's conversation store, whose
  // middleware otherwise looks every event's conversation up (and throws "not found") in memory.
  const { connection } = options;

  if (connection.kind === 'oauth') {
    const oauth = createOAuthSlackApp({ ...options, connection, clientOptions });
    return { ...oauth, start: async () => {}, stop: async () => {} };
  }

  if (connection.kind === 'socket') {
    // apps.connections.open goes to SLACK_API_URL like every other call; the client adds the app token itself.
    const receiver = new SocketModeReceiver({
      appToken: connection.appToken,
      logger,
      installerOptions: { clientOptions: { slackApiUrl: options.slackApiUrl } },
    });
    const app = new App({ receiver, token: connection.botToken, logger, clientOptions, convoStore: false });
    registerListeners(app, options.deps);
    return {
      app,
      start: async () => {
        try {
          await app.start();
        } catch (error) {
          throw socketModeStartError(error);
        }
      },
      stop: async () => {
        await app.stop();
      },
    };
  }

  const receiver = new HTTPReceiver({
    signingSecret: connection.signingSecret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    bodyLimit: options.maxBodyBytes,
    logger,
  });
  const app = new App({ receiver, token: connection.botToken, logger, clientOptions, convoStore: false });
  registerListeners(app, options.deps);
  return {
    app,
    requestListener: receiver.requestListener,
    start: async () => {},
    stop: async () => {},
  };
}

/** A refused `apps.connections.open` as one clear start error naming the variable; other failures as they are. */
function socketModeStartError(error: unknown): Error {
  const code = (error as { data?: { error?: unknown } }).data?.error;
  if (typeof code !== 'string') return error instanceof Error ? error : new Error(String(error));
  const hint =
    code === 'not_allowed_token_type'
      ? 'it must be an app-level token (xapp-…) with the connections:write scope, not a bot token'
      : code === 'invalid_auth' || code === 'not_authed'
        ? 'create an app-level token with the connections:write scope under Basic Information → App-Level Tokens'
        : 'check that Socket Mode is enabled for the app';
  return new ConfigError(`SLACK_APP_TOKEN was refused by Slack (apps.connections.open: ${code}): ${hint}`);
}
