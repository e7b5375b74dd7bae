import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import WebSocket from 'ws';

/** The WebSocket subprotocol MCP servers expect, as the SDK's own client transport sends it. */
const SUBPROTOCOL = 'mcp';

/**
 * MCP over WebSocket, one JSON-RPC message per text frame, like the SDK's WebSocketClientTransport,
 * but on `ws` so the upgrade request carries the service's headers (`auth_token`, `headers`): the
 * SDK's transport uses the bare WebSocket API, which cannot send any.
 */
export class HeaderWebSocketTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private socket: WebSocket | undefined;

  constructor(
    private readonly url: URL,
    private readonly headers: Record<string, string>,
  ) {}

  start(): Promise<void> {
    if (this.socket) throw new Error('HeaderWebSocketTransport already started');
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url, SUBPROTOCOL, { headers: this.headers });
      this.socket = socket;
      let opened = false;
      socket.on('unexpected-response', (_request, response) => {
        const error = new Error(
          `WebSocket upgrade refused: HTTP ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
        );
        response.resume();
        socket.terminate();
        reject(error);
        this.onerror?.(error);
      });
      socket.on('open', () => {
        opened = true;
        resolve();
      });
      socket.on('error', (error) => {
        if (!opened) reject(error);
        this.onerror?.(error);
      });
      socket.on('close', () => this.onclose?.());
      socket.on('message', (data, isBinary) => {
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
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) throw new Error('Not connected');
    await new Promise<void>((resolve, reject) =>
      socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    // A socket still connecting has no close handshake to make.
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else socket.close();
  }
}
