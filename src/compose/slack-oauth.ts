import type { Logger } from 'pino';
import type { SlackMode } from '../config/env.js';
import type { Database } from '../db/client.js';
import { DrizzleInstallationStore } from '../db/repositories/installation-store.js';
import { TokenCipher } from '../db/token-cipher.js';
import { buildDigest, type Digest } from '../digest/index.js';
import type { Route } from '../http/server.js';
import { digestCard } from '../slack/blocks/index.js';
import { InstalledWorkspaceClients } from '../slack/clients.js';
import type { Installations } from '../slack/deps.js';
import { slackClientDefaults } from '../slack/keep-alive-fetch.js';
import { manifestBotScopes } from '../slack/manifest-scopes.js';
import {
  INSTALL_PATH,
  OAUTH_REDIRECT_PATH,
  type OAuthConnection,
  type SlackInstaller,
} from '../slack/oauth-app.js';
import type { Root } from './root.js';
import type { Storage } from './storage.js';

export interface SlackOAuthOptions {
  slack: Extract<SlackMode, { kind: 'oauth' }>;
  slackApiUrl: string;
  database: Database;
  logger: Logger;
}

/** Everything multi-workspace install adds to deskhand, built once by the composition root. */
export interface SlackOAuth {
  connection: OAuthConnection;
  store: DrizzleInstallationStore;
  /** Each workspace's Web API client, for work that comes with no request. */
  clients: InstalledWorkspaceClients;
  installations: Installations;
  /** `GET /slack/install` and `GET /slack/oauth_redirect`, served by Bolt's InstallProvider. */
  routes(installer: SlackInstaller | undefined): Route[];
  /** The scheduled digest, once per installed workspace, each with only its own figures. */
  postDigests(unscoped: Digest, channel: string): Promise<void>;
}

/** Slack's authorize page beside its Web API: `https://slack.com/api/` → `https://slack.com/oauth/v2/authorize`. */
export function authorizationUrlFor(slackApiUrl: string): string {
  return new URL('../oauth/v2/authorize', slackApiUrl).toString();
}

/** Multi-workspace install when the config has OAuth credentials; undefined with a single workspace or the playground. */
export function buildSlackOAuthIfConfigured(root: Root, storage: Storage): SlackOAuth | undefined {
  const { config, logger } = root;
  if (config.slack.kind !== 'oauth') return undefined;
  return buildSlackOAuth({
    slack: config.slack,
    slackApiUrl: config.slackApiUrl,
    database: storage.database,
    logger,
  });
}

/** Multi-workspace install: the installation store, per-workspace clients, the OAuth routes, per-workspace digests. */
export function buildSlackOAuth(options: SlackOAuthOptions): SlackOAuth {
  const { slack, database, logger } = options;
  const store = new DrizzleInstallationStore(database.db, new TokenCipher(slack.encryptionKey));
  const clients = new InstalledWorkspaceClients({
    tokenFor: (teamId) => store.botTokenFor(teamId),
    clientOptions: { ...slackClientDefaults, slackApiUrl: options.slackApiUrl },
  });
  const connection: OAuthConnection = {
    kind: 'oauth',
    signingSecret: slack.signingSecret,
    clientId: slack.clientId,
    clientSecret: slack.clientSecret,
    stateSecret: slack.stateSecret,
    installationStore: store,
    scopes: manifestBotScopes(),
    authorizationUrl: authorizationUrlFor(options.slackApiUrl),
  };
  const installations: Installations = {
    async remove(key) {
      const removed = await store.remove(key);
      clients.forget(key.teamId);
      return removed;
    },
  };

  return {
    connection,
    store,
    clients,
    installations,
    routes(installer) {
      if (!installer) return [];
      return [
        { method: 'GET', path: INSTALL_PATH, handler: (req, res) => installer.handleInstallPath(req, res) },
        {
          method: 'GET',
          path: OAUTH_REDIRECT_PATH,
          handler: (req, res) => installer.handleCallback(req, res),
        },
      ];
    },
    async postDigests(unscoped, channel) {
      const workspaces = await store.list();
      let failed = 0;
      for (const workspace of workspaces) {
        if (!workspace.teamId) {
          logger.info(
            { enterpriseId: workspace.enterpriseId },
            'digest skipped for an org-wide install: it is posted per workspace, and an org has many',
          );
          continue;
        }
        try {
          const client = await clients.clientFor(workspace.teamId);
          if (!client) continue;
          const digest = await buildDigest(database, {
            since: unscoped.period,
            includePrivateText: false,
            teamId: workspace.teamId,
          });
          await client.chat.postMessage({ channel, ...digestCard(digest) });
        } catch (error) {
          failed += 1;
          logger.warn(
            { teamId: workspace.teamId, err: (error as Error).message },
            `digest not posted in this workspace: is DIGEST_CHANNEL ${channel} a channel there?`,
          );
        }
      }
      if (failed > 0 && failed === workspaces.length)
        throw new Error(`the digest could not be posted in any workspace (${failed} failed)`);
    },
  };
}
