import { WebClient, type WebClientOptions } from '@slack/web-api';

/**
 * Web API clients for work that does not come with a request (the ticket outbox, alert escalations,
 * HelpScout webhooks, the scheduled digest): each must speak with the token of the workspace the
 * question came from.
 */
export interface SlackClients {
  /** The client for a workspace; undefined while Slack is not connected or deskhand is not installed there. */
  clientFor(teamId: string | undefined): Promise<WebClient | undefined>;
}

/** One workspace, one bot token: every team gets the app's own client. */
export function singleWorkspaceClients(client: () => WebClient | undefined): SlackClients {
  return { clientFor: async () => client() };
}

export interface InstalledWorkspaceClientsOptions {
  /** The workspace's bot token from its installation; undefined when it is not installed. */
  tokenFor(teamId: string): Promise<string | undefined>;
  clientOptions: WebClientOptions;
  /** How long a client is reused before its token is read again (an uninstall elsewhere takes effect by then). */
  ttlMs?: number;
}

/** Many workspaces: each team's client carries its installation's token, read from the store and briefly kept. */
export class InstalledWorkspaceClients implements SlackClients {
  private readonly cache = new Map<string, { client: WebClient; expiresAt: number }>();

  constructor(private readonly options: InstalledWorkspaceClientsOptions) {}

  async clientFor(teamId: string | undefined): Promise<WebClient | undefined> {
    if (!teamId) return undefined;
    const cached = this.cache.get(teamId);
    if (cached && cached.expiresAt > Date.now()) return cached.client;
    const token = await this.options.tokenFor(teamId);
    if (!token) {
      this.cache.delete(teamId);
      return undefined;
    }
    const client = new WebClient(token, this.options.clientOptions);
    this.cache.set(teamId, { client, expiresAt: Date.now() + (this.options.ttlMs ?? 60_000) });
    return client;
  }

  /** Drops a workspace's client at once, when its installation is removed. */
  forget(teamId: string | undefined): void {
    if (teamId) this.cache.delete(teamId);
  }
}
