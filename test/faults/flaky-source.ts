import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { createLogger } from '../../src/observability/logger.js';
import { type RunningMcpServer, serveMcp } from '../../src/servers/shared/serve.js';

export type FlakyMode =
  | { kind: 'ok' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number }
  | { kind: 'rate_limited'; times: number }
  | { kind: 'tool_error' };

/**
 * A knowledge source over streamable HTTP whose behaviour a test changes while traffic flows:
 * answer, hang, answer slowly, rate-limit, or die (stop) and come back on the same port.
 */
export class FlakySource {
  mode: FlakyMode = { kind: 'ok' };
  calls = 0;
  /** `notifications/cancelled` the client sent: a call it gave up on (or, wrongly, one already answered). */
  cancellations = 0;
  inFlight = 0;
  maxInFlight = 0;
  private running: RunningMcpServer | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  async start(): Promise<void> {
    this.running = await serveMcp(() => this.createServer(), {
      transport: 'http',
      port: this.port,
      logger: createLogger({ level: 'silent' }),
      name: 'flaky',
    });
    this.port = Number(new URL(this.running.url as string).port);
  }

  /** The server dies: every session and connection is dropped. */
  async kill(): Promise<void> {
    await this.running?.close();
    this.running = undefined;
  }

  private createServer(): McpServer {
    const server = new McpServer({ name: 'flaky-docs', version: '1.0.0' });
    // Counted on the way to the SDK's own handler (which aborts the cancelled request's work); the
    // SDK keeps its handlers in a private map, hence the cast.
    const handlers = (
      server.server as unknown as { _notificationHandlers: Map<string, (n: unknown) => unknown> }
    )._notificationHandlers;
    const cancelled = handlers.get('notifications/cancelled');
    handlers.set('notifications/cancelled', (notification) => {
      this.cancellations++;
      return cancelled?.(notification);
    });
    server.registerTool(
      'search_pages',
      {
        description: 'Search the flaky docs',
        inputSchema: { query: z.string(), limit: z.number().optional() },
      },
      async ({ query }) => {
        this.calls++;
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        try {
          return await this.answer(query);
        } finally {
          this.inFlight--;
        }
      },
    );
    return server;
  }

  private async answer(query: string) {
    const mode = this.mode;
    if (mode.kind === 'hang') await new Promise(() => {});
    if (mode.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, mode.ms));
    if (mode.kind === 'rate_limited' && mode.times > 0) {
      mode.times--;
      const error = {
        message: 'Notion is rate limiting; retry after 0 s',
        retryable: true,
        retry_after_s: 0,
      };
      return {
        isError: true,
        content: [{ type: 'text' as const, text: error.message }],
        structuredContent: { error },
      };
    }
    if (mode.kind === 'tool_error') {
      return {
        isError: true,
        content: [{ type: 'text' as const, text: 'The flaky docs cannot search for that.' }],
      };
    }
    const results = [
      {
        title: `Flaky docs: ${query}`,
        snippet: `Everything about ${query}`,
        url: 'https://flaky.example/doc',
        score: 1,
      },
    ];
    return {
      content: [{ type: 'text' as const, text: JSON.stringify({ results }) }],
      structuredContent: { results },
    };
  }
}
