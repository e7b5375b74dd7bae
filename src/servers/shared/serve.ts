import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../observability/logger.js';
import { readBody, refuseTooLarge } from '../../runtime/http-body.js';
import { listenOn } from '../../runtime/listen.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyMcpSignature } from './signing.js';

export interface ServeOptions {
  transport: 'stdio' | 'http';
  /** HTTP port; 0 or unset picks a free one. */
  port?: number;
  /** HTTP interface to listen on; 127.0.0.1 by default. */
  host?: string;
  /** When set, every /mcp request must carry `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** When set, every /mcp request must carry a fresh `X-Deskhand-Signature` (see signing.ts). */
  signingSecret?: string;
  logger: Logger;
  /** The server's name in logs and /healthz, e.g. "kb". */
  name: string;
}

/** What every `run…Server` takes besides its own settings: how to serve, and how to guard it. */
export type ServerRunOptions = Omit<ServeOptions, 'name'>;

export interface RunningMcpServer {
  /** The streamable HTTP endpoint, e.g. http://127.0.0.1:8001/mcp; undefined on stdio. */
  url?: string;
  /** Stops accepting requests, closes every session and releases the port or stdin. Safe to call twice. */
  close(): Promise<void>;
}

/** Largest request body accepted on /mcp; larger ones get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Serves an MCP server on stdio or streamable HTTP and resolves once it accepts requests.
 * `createServer` is called once on stdio and once per HTTP session, so it must return a fresh
 * McpServer each time (share expensive state, such as an index, outside it).
 */
export async function serveMcp(
  createServer: () => McpServer,
  options: ServeOptions,
): Promise<RunningMcpServer> {
  return options.transport === 'stdio' ? serveStdio(createServer, options) : serveHttp(createServer, options);
}

async function serveStdio(createServer: () => McpServer, options: ServeOptions): Promise<RunningMcpServer> {
  const logger = options.logger.child({ mcpServer: options.name, transport: 'stdio' });
  const server = createServer();
  const transport = new StdioServerTransport();
  let closing: Promise<void> | undefined;

  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.stdin.off('end', onStdinEnd);
      process.stdout.off('error', onStdoutError);
      await server.close().catch((error: unknown) => logger.warn({ err: error }, 'error while closing'));
      logger.info('MCP server stopped');
    })();
    return closing;
  };
  const exitAfterClose = () => {
    void close().then(() => {
      // Whatever still holds the event loop (a stray timer, a socket) must not keep an orphan alive.
      setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
    });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'signal received, stopping');
    exitAfterClose();
  };
  // The parent closed our stdin: it is gone or done with us.
  const onStdinEnd = () => {
    logger.info('stdin closed, stopping');
    exitAfterClose();
  };
  // EPIPE on stdout means nobody reads our answers any more.
  const onStdoutError = (error: Error) => {
    logger.warn({ err: error }, 'stdout failed, stopping');
    exitAfterClose();
  };

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.stdin.on('end', onStdinEnd);
  process.stdout.on('error', onStdoutError);
  await server.connect(transport);
  logger.info('MCP server listening on stdio');
  return { close };
}

async function serveHttp(createServer: () => McpServer, options: ServeOptions): Promise<RunningMcpServer> {
  const logger = options.logger.child({ mcpServer: options.name, transport: 'http' });
  // Loaded here, not at the top: a server on stdio (the usual child process) never needs it.
  const { StreamableHTTPServerTransport } = await import(
    '@modelcontextprotocol/sdk/server/streamableHttp.js'
  );
  const host = options.host ?? '127.0.0.1';
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let allowedHosts: string[] | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz' && req.method === 'GET') {
      return sendJson(res, 200, { status: 'ok', server: options.name, sessions: sessions.size });
    }
    if (path !== '/mcp') {
      return sendJson(res, 404, {
        error: 'not_found',
        message: `No route for ${req.method} ${path}; use /mcp.`,
      });
    }
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      res.setHeader('Allow', 'GET, POST, DELETE');
      return sendJson(res, 405, {
        error: 'method_not_allowed',
        message: `${req.method} is not supported on /mcp.`,
      });
    }
    if (options.authToken && !hasBearerToken(req, options.authToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendJson(res, 401, {
        error: 'unauthorized',
        message:
          'Missing or wrong bearer token: send "Authorization: Bearer <token>" with the auth_token configured for this server.',
      });
    }

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'too_large') {
      return refuseTooLarge(res, MAX_BODY_BYTES, {
        error: 'payload_too_large',
        message: `Request body is larger than ${MAX_BODY_BYTES} bytes.`,
      });
    }

    if (options.signingSecret) {
      const check = verifyMcpSignature({
        secret: options.signingSecret,
        timestamp: headerValue(req, TIMESTAMP_HEADER),
        signature: headerValue(req, SIGNATURE_HEADER),
        body,
      });
      if (!check.ok) {
        logger.warn({ reason: check.reason }, 'rejected an unsigned or badly signed request');
        return sendJson(res, 401, {
          error: 'unauthorized',
          message: `Bad request signature: ${check.reason}. Sign requests with the signing secret configured for this server.`,
        });
      }
    }

    let parsed: unknown;
    if (req.method === 'POST') {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJsonRpcError(res, 400, -32700, 'Parse error: the request body is not valid JSON.');
      }
    }

    const sessionId = headerValue(req, 'mcp-session-id');
    if (sessionId) {
      const transport = sessions.get(sessionId);
      if (!transport) {
        return sendJsonRpcError(
          res,
          404,
          -32001,
          'Session not found: it expired or the server restarted; reconnect.',
        );
      }
      return transport.handleRequest(req, res, parsed);
    }
    if (req.method !== 'POST' || !isInitializeRequest(parsed)) {
      return sendJsonRpcError(
        res,
        400,
        -32000,
        'Bad Request: no valid Mcp-Session-Id header; send initialize first.',
      );
    }

    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableDnsRebindingProtection: allowedHosts !== undefined,
      allowedHosts,
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
        logger.debug({ sessionId: id }, 'MCP session opened');
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) {
        sessions.delete(transport.sessionId);
        logger.debug({ sessionId: transport.sessionId }, 'MCP session closed');
      }
    };
    const server = createServer();
    await server.connect(transport);
    await transport.handleRequest(req, res, parsed);
  };

  const httpServer = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, method: req.method, url: req.url }, 'MCP HTTP request failed');
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, 'Internal server error.');
      else res.end();
    });
  });

  const port = await listenOn(httpServer, options.port ?? 0, host, '--port');
  if (LOOPBACK_HOSTS.has(host)) {
    // A loopback server is still reachable from a browser through DNS rebinding; accept only local Host headers.
    allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/mcp`;
  logger.info({ url }, 'MCP server listening on streamable HTTP');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map((transport) => transport.close()));
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      logger.info({ url }, 'MCP server stopped');
    })();
    return closing;
  };
  return { url, close };
}

/** Compares the bearer token in constant time: hashing first makes both sides the same length. */
export function hasBearerToken(req: IncomingMessage, expected: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return false;
  const given = createHash('sha256').update(match[1].trim()).digest();
  const wanted = createHash('sha256').update(expected).digest();
  return timingSafeEqual(given, wanted);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}
