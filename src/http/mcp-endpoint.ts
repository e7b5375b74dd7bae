import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from 'pino';
import { readBody, refuseTooLarge } from '../runtime/http-body.js';
import { hasBearerToken } from '../servers/shared/serve.js';
import { type Route, sendJson } from './server.js';

export const MCP_ENDPOINT_PATH = '/mcp';

export interface McpEndpointOptions {
  /** DESKHAND_MCP_TOKEN: every request must carry `Authorization: Bearer <token>`. */
  token: string;
  /** A fresh server per request (the endpoint is stateless). */
  createServer: () => McpServer;
  logger: Logger;
  maxBodyBytes: number;
}

/**
 * Who questions and tickets from agents are stored as: `mcp:` and the start of the token's
 * SHA-256, so a rotated token shows as another asker (and has its own rate limit); the token
 * itself is never stored.
 */
export function mcpAskerId(token: string): string {
  return `mcp:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
}

/**
 * `POST /mcp`: deskhand's own MCP server over streamable HTTP, for AI agents. Stateless: every
 * request gets a fresh server and transport, so any replica can answer any request and nothing
 * is kept between them. GET (a server-to-client stream) and DELETE (ending a session) are
 * answered 405, as the transport's specification allows for a server without sessions.
 */
export function mcpEndpointRoutes(options: McpEndpointOptions): Route[] {
  const logger = options.logger.child({ endpoint: MCP_ENDPOINT_PATH });
  const methodNotAllowed = (_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Allow', 'POST');
    sendJsonRpcError(
      res,
      405,
      -32000,
      'Method not allowed: this MCP endpoint is stateless; send POST requests.',
    );
  };
  return [
    {
      method: 'POST',
      path: MCP_ENDPOINT_PATH,
      handler: async (req, res) => {
        if (!hasBearerToken(req, options.token)) {
          logger.warn('refused an MCP request with a missing or wrong bearer token');
          res.setHeader('WWW-Authenticate', 'Bearer realm="deskhand"');
          sendJson(res, 401, {
            error: 'unauthorized',
            message:
              'Missing or wrong bearer token: send "Authorization: Bearer <token>" with the value of DESKHAND_MCP_TOKEN.',
          });
          return;
        }
        const body = await readBody(req, options.maxBodyBytes);
        if (body === 'too_large') {
          refuseTooLarge(res, options.maxBodyBytes, {
            error: 'payload_too_large',
            message: `Request body is larger than ${options.maxBodyBytes} bytes.`,
          });
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          sendJsonRpcError(res, 400, -32700, 'Parse error: the request body is not valid JSON.');
          return;
        }
        const server = options.createServer();
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: undefined,
          enableJsonResponse: true,
        });
        res.on('close', () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, parsed);
      },
    },
    { method: 'GET', path: MCP_ENDPOINT_PATH, handler: methodNotAllowed },
    { method: 'DELETE', path: MCP_ENDPOINT_PATH, handler: methodNotAllowed },
  ];
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}
