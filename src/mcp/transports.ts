import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import WebSocket from 'ws';
import { resolveOwnServer } from '../runtime/self-command.js';
import type { McpServiceConfig } from './types.js';

/** Builds the SDK transport a service's config asks for. A new one per connection attempt. */
export function createTransport(service: McpServiceConfig): Transport {
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
      return new SSEClientTransport(new URL(service.url as string), {
        requestInit: { headers },
        eventSourceInit: {
          fetch: (url, init) =>
            fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
        },
      });
    case 'websocket':
      ensureWebSocketGlobal();
      return new WebSocketClientTransport(new URL(service.url as string));
  }
}

/** Node 20 has no global WebSocket; the SDK's websocket transport expects one. */
function ensureWebSocketGlobal(): void {
  const global = globalThis as { WebSocket?: unknown };
  global.WebSocket ??= WebSocket;
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
