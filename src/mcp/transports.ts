import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Logger } from 'pino';
import { resolveOwnServer } from '../runtime/self-command.js';
import type { McpServiceConfig } from './types.js';
import { HeaderWebSocketTransport } from './websocket-transport.js';

/** Builds the SDK transport a service's config asks for. A new one per connection attempt. */
export async function createTransport(service: McpServiceConfig, logger?: Logger): Promise<Transport> {
  const headers: Record<string, string> = { ...service.headers };
  if (service.auth_token) headers.Authorization = `Bearer ${service.auth_token}`;
  switch (service.transport) {
    case 'stdio': {
      const { command, args } = resolveOwnServer(service.command as string, service.args);
      return new StdioClientTransport({
        command,
        args,
        // Only a minimal environment is inherited: a knowledge server has no business seeing Slack tokens.
        env: {
          ...getDefaultEnvironment(),
          ...pick(process.env, ['NODE_OPTIONS', 'LOG_LEVEL', 'TZ']),
          ...service.env,
        },
        cwd: service.cwd,
        stderr: 'pipe',
      });
    }
    case 'http':
      return new StreamableHTTPClientTransport(new URL(service.url as string), { requestInit: { headers } });
    case 'sse':
      // The SDK sends requestInit's headers on the event stream and on every post, beside its own
      // (Accept: text/event-stream, the protocol version): a custom fetch here would replace those.
      return new SSEClientTransport(new URL(service.url as string), { requestInit: { headers } });
    case 'websocket':
      return new HeaderWebSocketTransport(new URL(service.url as string), headers);
    case 'builtin': {
      // Loaded only by a process that runs the built-in kb, not by every user of the MCP layer.
      const { connectBuiltinKb } = await import('./builtin-kb.js');
      return connectBuiltinKb(service.env.KNOWLEDGE_DIR ?? 'knowledge', logger);
    }
  }
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
