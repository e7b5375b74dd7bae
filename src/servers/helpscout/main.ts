import { type RunningMcpServer, type ServerRunOptions, serveMcp } from '../shared/serve.js';
import { HelpscoutClient } from './helpscout-client.js';
import { createHelpscoutServer } from './server.js';

export interface RunHelpscoutServerOptions extends ServerRunOptions {
  appId?: string;
  appSecret?: string;
  mailboxId?: string;
  apiUrl: string;
}

/** Runs the HelpScout MCP server on stdio or streamable HTTP. */
export function runHelpscoutServer(options: RunHelpscoutServerOptions): Promise<RunningMcpServer> {
  if (!options.appId || !options.appSecret || !options.mailboxId) {
    options.logger.warn(
      'HELPSCOUT_APP_ID, HELPSCOUT_APP_SECRET or HELPSCOUT_MAILBOX_ID is not set: every call will say what is missing',
    );
  }
  // One client, and so one cached access token, for every session.
  const helpscout = new HelpscoutClient({
    appId: options.appId,
    appSecret: options.appSecret,
    mailboxId: options.mailboxId,
    apiUrl: options.apiUrl,
  });
  return serveMcp(() => createHelpscoutServer(helpscout), {
    transport: options.transport,
    port: options.port,
    host: options.host,
    authToken: options.authToken,
    signingSecret: options.signingSecret,
    logger: options.logger,
    name: 'helpscout',
  });
}
