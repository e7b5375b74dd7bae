import { type RunningMcpServer, type ServerRunOptions, serveMcp } from '../shared/serve.js';
import { createNotionServer } from './server.js';

export interface RunNotionServerOptions extends ServerRunOptions {
  token?: string;
  apiUrl: string;
}

/** Runs the Notion MCP server on stdio or streamable HTTP. */
export function runNotionServer(options: RunNotionServerOptions): Promise<RunningMcpServer> {
  if (!options.token) options.logger.warn('NOTION_TOKEN is not set: every search will say how to set it');
  return serveMcp(() => createNotionServer({ token: options.token, apiUrl: options.apiUrl }), {
    transport: options.transport,
    port: options.port,
    host: options.host,
    authToken: options.authToken,
    signingSecret: options.signingSecret,
    logger: options.logger,
    name: 'notion',
  });
}
