import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';

export const DESKHAND_BIN = fileURLToPath(new URL('../../bin/deskhand.js', import.meta.url));

/** A real SDK client talking to `deskhand mcp <server>` spawned as a child process over stdio. */
export async function stdioClient(
  server: string,
  env: Record<string, string>,
  command = process.execPath,
  args = [DESKHAND_BIN, 'mcp', server],
): Promise<Client> {
  const client = new Client({ name: 'deskhand-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command,
      args,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      stderr: 'ignore',
    }),
  );
  return client;
}

/** A real SDK client over streamable HTTP. */
export async function httpClient(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'deskhand-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

export interface ToolAnswer {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  text: string;
}

/** Calls a tool without the client's own output-schema check, as deskhand's MCP layer does. */
export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolAnswer> {
  const result = await client.request(
    { method: 'tools/call', params: { name, arguments: args } },
    CallToolResultSchema,
  );
  const text = result.content.find((block) => block.type === 'text');
  return {
    isError: result.isError,
    structuredContent: result.structuredContent,
    text: text && 'text' in text ? text.text : '',
  };
}
