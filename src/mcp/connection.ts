import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { ServiceUnavailableError } from './errors.js';
import { createTransport } from './transports.js';
import type { ConnectionState, McpServiceConfig, ToolInfo, ToolResult } from './types.js';

export interface ConnectionOptions {
  logger: Logger;
  initialDelayMs?: number;
  maxDelayMs?: number;
  onStateChange?: (state: ConnectionState) => void;
  onToolsChanged?: () => void;
}

/**
 * One MCP service: connects once, lists its tools, and reconnects with backoff whenever the
 * transport closes (a stdio server that died is respawned; an HTTP server gets a new session).
 */
export class ServiceConnection {
  state: ConnectionState = 'connecting';
  tools: ToolInfo[] = [];
  lastError: string | undefined;
  private client: Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private closed = false;
  private connecting: Promise<void> | undefined;
  private readonly logger: Logger;

  constructor(
    readonly config: McpServiceConfig,
    private readonly options: ConnectionOptions,
  ) {
    this.logger = options.logger.child({ mcp: config.name });
  }

  /** Connects; resolves whether or not it succeeded (a failure schedules a retry). */
  connect(): Promise<void> {
    this.connecting ??= this.tryConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Calls a tool on the live connection; throws ServiceUnavailableError when there is none. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs: number },
  ): Promise<ToolResult> {
    const client = this.client;
    if (!client || this.state !== 'connected')
      throw new ServiceUnavailableError(this.config.name, this.lastError);
    // `request` rather than `callTool`: the client's own output-schema check would turn a server's
    // structured error answer into an exception and hide its message.
    const result = await client.request(
      { method: 'tools/call', params: { name, arguments: args } },
      CallToolResultSchema,
      {
        signal: options.signal,
        timeout: options.timeoutMs,
        maxTotalTimeout: options.timeoutMs,
      },
    );
    return result as ToolResult;
  }

  /**
   * Drops a connection that no longer works although its transport did not notice (an HTTP
   * server restarted and forgot the session, a network path went away) and reconnects.
   */
  markBroken(reason: string): void {
    if (this.closed || this.state !== 'connected' || !this.client) return;
    const client = this.client;
    this.client = undefined;
    this.lastError = reason;
    this.logger.warn({ err: reason }, `MCP service ${this.config.name} stopped answering; reconnecting`);
    this.scheduleReconnect();
    void client.close().catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.setState('closed');
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => {});
  }

  private async tryConnect(): Promise<void> {
    if (this.closed) return;
    let transport: Transport | undefined;
    // One budget for the whole start (spawn or connect, initialize, tools/list), apart from the
    // per-call timeout_ms: a server that is slow to start is waited for, not given up on.
    const budgetMs = this.config.connect_timeout_ms;
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new Error(`not ready within connect_timeout_ms (${budgetMs} ms)`)),
      budgetMs,
    );
    timer.unref();
    try {
      transport = await createTransport(this.config, this.logger);
      if (transport instanceof StdioClientTransport) this.pipeStderr(transport);
      const client = new Client({ name: 'deskhand', version: '0.1.0' }, { capabilities: {} });
      client.onclose = () => this.onClosed(client);
      client.onerror = (error) => {
        this.logger.debug({ err: error.message }, 'MCP transport error');
        // An SSE stream that drops is reopened by the event source on its own, onto a new server
        // session that never had the initialize handshake: reconnect properly instead.
        if (error instanceof SseError && this.client === client)
          this.markBroken(`SSE stream lost: ${error.message}`);
      };
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        await this.refreshTools(client).catch((error: Error) =>
          this.logger.warn({ err: error.message }, 'could not refresh tools'),
        );
      });
      await withDeadline(
        client.connect(transport, { signal: deadline.signal, timeout: budgetMs }),
        deadline.signal,
      );
      if (this.closed) {
        await client.close();
        return;
      }
      this.client = client;
      await withDeadline(this.refreshTools(client, deadline.signal), deadline.signal);
      this.attempt = 0;
      this.lastError = undefined;
      this.setState('connected');
      this.logger.info(
        { tools: this.tools.map((tool) => tool.name) },
        `connected to MCP service ${this.config.name}`,
      );
    } catch (error) {
      const reason = deadline.signal.aborted ? deadline.signal.reason : error;
      this.lastError = reason instanceof Error ? reason.message : String(reason);
      this.logger.warn({ err: this.lastError }, `could not connect to MCP service ${this.config.name}`);
      await transport?.close().catch(() => {});
      this.client = undefined;
      this.scheduleReconnect();
    } finally {
      clearTimeout(timer);
    }
  }

  /** Lists every page of tools; the roles deskhand gives this service follow (see McpRegistry). */
  private async refreshTools(client: Client, signal?: AbortSignal): Promise<void> {
    const tools: ToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, {
        signal,
        timeout: this.config.connect_timeout_ms,
      });
      tools.push(...page.tools.map((tool) => ({ name: tool.name, description: tool.description })));
      cursor = page.nextCursor;
    } while (cursor);
    this.tools = tools;
    this.options.onToolsChanged?.();
  }

  private onClosed(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.closed) return;
    this.lastError ??= 'connection closed';
    this.logger.warn(`MCP service ${this.config.name} disconnected; reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.setState('reconnecting');
    const initial = this.options.initialDelayMs ?? 250;
    const max = this.options.maxDelayMs ?? 30_000;
    const delay = Math.min(max, initial * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt++;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state);
  }

  private pipeStderr(transport: StdioClientTransport): void {
    const stream = transport.stderr;
    if (!stream) return;
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines)
        if (line.trim()) this.logger.debug({ stderr: line.slice(0, 2000) }, 'MCP server output');
    });
  }
}

/** Settles with `promise`, or rejects once `signal` aborts (a transport's start that ignores signals). */
function withDeadline<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
