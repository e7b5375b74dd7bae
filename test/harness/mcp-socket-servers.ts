import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SocketMcpServerOptions {
  /** A fresh MCP server for each client connection (an SDK server serves one transport). */
  createServer: () => McpServer;
  /** When set, a request without `Authorization: Bearer <token>` is refused with 401. */
  token?: string;
  /** Listen on this port (a restart keeps the URL); an ephemeral one by default. */
  port?: number;
}

/** A running MCP server over SSE or WebSocket that a test can stop and start again on the same port. */
export interface SocketMcpServer {
  readonly url: string;
  readonly port: number;
  /** Headers of every HTTP request (SSE stream, message posts, WebSocket upgrades), in order. */
  readonly requests: { method: string; path: string; headers: IncomingHttpHeaders }[];
  /** How many clients have connected in all. */
  readonly connections: number;
  /** The JSON-RPC methods each client connection sent, in order: one list per connection. */
  readonly sessions: string[][];
  /** Stops: drops every client connection and stops listening. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

function authorised(req: IncomingMessage, token: string | undefined): boolean {
  return token === undefined || req.headers.authorization === `Bearer ${token}`;
}

abstract class RestartableServer implements SocketMcpServer {
  readonly requests: { method: string; path: string; headers: IncomingHttpHeaders }[] = [];
  connections = 0;
  readonly sessions: string[][] = [];
  port = 0;
  protected http: Server | undefined;

  constructor(protected readonly options: SocketMcpServerOptions) {
    this.port = options.port ?? 0;
  }

  abstract readonly url: string;

  /** Serves one client connection with a fresh MCP server, noting the methods it sends. */
  protected async serve(transport: Transport): Promise<McpServer> {
    const mcp = this.options.createServer();
    const methods: string[] = [];
    this.sessions.push(methods);
    this.connections += 1;
    await mcp.connect(transport);
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if ('method' in message) methods.push(message.method);
      deliver?.(message, extra);
    };
    return mcp;
  }
  protected abstract attach(server: Server): void;
  protected abstract dropClients(): Promise<void>;

  async start(): Promise<void> {
    const server = createServer();
    server.on('request', (req) => this.record(req));
    server.on('upgrade', (req) => this.record(req));
    this.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.http = server;
  }

  async stop(): Promise<void> {
    const server = this.http;
    this.http = undefined;
    await this.dropClients();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private record(req: IncomingMessage): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
  }
}

/** The SDK's own SSE server transport behind node:http: `GET /sse` opens the stream, `POST /messages` carries requests. */
class SseMcpServer extends RestartableServer {
  readonly #sessions = new Map<string, { transport: SSEServerTransport; server: McpServer }>();

  get url(): string {
    return `http://127.0.0.1:${this.port}/sse`;
  }

  protected attach(server: Server): void {
    server.on('request', (req, res) => {
      void (async () => {
        if (!authorised(req, this.options.token)) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
          return;
        }
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (req.method === 'GET' && url.pathname === '/sse') {
          const transport = new SSEServerTransport('/messages', res);
          const mcp = await this.serve(transport);
          this.#sessions.set(transport.sessionId, { transport, server: mcp });
          res.on('close', () => this.#sessions.delete(transport.sessionId));
          return;
        }
        if (req.method === 'POST' && url.pathname === '/messages') {
          const session = this.#sessions.get(url.searchParams.get('sessionId') ?? '');
          if (!session) {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('Session not found');
            return;
          }
          await session.transport.handlePostMessage(req, res);
          return;
        }
        res.writeHead(404).end();
      })().catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  protected async dropClients(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((session) => session.server.close().catch(() => {})));
  }
}

/**
 * The server side of MCP over WebSocket, matching the SDK's WebSocketClientTransport: one
 * JSON-RPC message per text frame, subprotocol `mcp`.
 */
export class WebSocketServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  constructor(private readonly socket: WebSocket) {}

  async start(): Promise<void> {
    this.socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: JSONRPCMessage;
      try {
        message = JSONRPCMessageSchema.parse(JSON.parse(data.toString()));
      } catch (error) {
        this.onerror?.(error as Error);
        return;
      }
      this.onmessage?.(message);
    });
    this.socket.on('close', () => this.onclose?.());
    this.socket.on('error', (error) => this.onerror?.(error));
  }

  async send(message: JSONRPCMessage): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}

/** A small MCP server over WebSocket (`ws`), one SDK server per connection. */
class WebSocketMcpServer extends RestartableServer {
  #wss: WebSocketServer | undefined;
  readonly #servers = new Set<McpServer>();

  get url(): string {
    return `ws://127.0.0.1:${this.port}/mcp`;
  }

  protected attach(server: Server): void {
    const wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
    });
    this.#wss = wss;
    server.on('upgrade', (req, socket, head) => {
      if (!authorised(req, this.options.token)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        void this.serve(new WebSocketServerTransport(ws)).then((mcp) => {
          this.#servers.add(mcp);
          ws.on('close', () => this.#servers.delete(mcp));
        });
      });
    });
  }

  protected async dropClients(): Promise<void> {
    for (const client of this.#wss?.clients ?? []) client.terminate();
    this.#wss?.close();
    this.#wss = undefined;
    const servers = [...this.#servers];
    this.#servers.clear();
    await Promise.all(servers.map((server) => server.close().catch(() => {})));
  }
}

/** Starts an MCP server on the SDK's SSE server transport. */
export async function startSseMcpServer(options: SocketMcpServerOptions): Promise<SocketMcpServer> {
  const server = new SseMcpServer(options);
  await server.start();
  return server;
}

/** Starts an MCP server over WebSocket. */
export async function startWebSocketMcpServer(options: SocketMcpServerOptions): Promise<SocketMcpServer> {
  const server = new WebSocketMcpServer(options);
  await server.start();
  return server;
}
