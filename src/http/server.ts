import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Logger } from 'pino';
import { readBody, refuseTooLarge } from '../runtime/http-body.js';
import { listenOn } from '../runtime/listen.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  /** An exact path, or a prefix ending in `/*`. */
  path: string;
  handler: RouteHandler;
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * deskhand's one HTTP server: its own routes (health, readiness, metrics, webhooks, playground)
 * first, then Slack's `/slack/events` through Bolt's listener, then 404.
 */
export class HttpServer {
  private readonly server: Server;
  private routes: Route[] = [];
  private fallback: RequestListener | undefined;

  /**
   * `maxBodyBytes` bounds what Slack's endpoint reads before refusing with 413; `keepAliveMs` is
   * how long an idle connection stays open (see HTTP_KEEP_ALIVE_MS: longer than a load balancer's).
   */
  constructor(
    private readonly logger: Logger,
    private readonly options: { maxBodyBytes: number; keepAliveMs?: number } = { maxBodyBytes: 1024 * 1024 },
  ) {
    this.server = createServer((req, res) => this.dispatch(req, res));
    // Idle connections are closed at once on shutdown (close), so a long keep-alive holds nothing up.
    this.server.keepAliveTimeout = options.keepAliveMs ?? 65_000;
    // Above the keep-alive, so a kept connection's next request is not cut by the headers timer.
    this.server.headersTimeout = this.server.keepAliveTimeout + 1_000;
  }

  addRoutes(...routes: Route[]): void {
    this.routes.push(...routes);
  }

  setFallback(listener: RequestListener): void {
    this.fallback = listener;
  }

  /** Listens on `port` (PORT), with a message that says what to do when it cannot. */
  listen(port: number, host?: string): Promise<number> {
    return listenOn(this.server, port, host, 'PORT');
  }

  /** Stops taking connections and closes idle ones; requests in flight finish. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), 2_000);
    await closed;
    clearTimeout(timer);
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = this.routes.find(
      (candidate) =>
        (candidate.method === req.method || (candidate.method === 'GET' && req.method === 'HEAD')) &&
        (candidate.path === path ||
          (candidate.path.endsWith('/*') && path.startsWith(candidate.path.slice(0, -1)))),
    );
    if (route) {
      Promise.resolve(route.handler(req, res)).catch((error: unknown) => {
        this.logger.error({ err: error, path }, 'route failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
        else res.end();
      });
      return;
    }
    // Only Slack's endpoint goes to Bolt: its listener throws (outside any promise) for paths it
    // does not know, which would take the process down.
    const fallback = this.fallback;
    if (fallback && path === '/slack/events') {
      this.passToSlack(fallback, req, res).catch((error: unknown) => {
        this.logger.error({ err: error, path }, 'Slack request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
      });
      return;
    }
    sendJson(res, 404, { error: 'not_found', message: `No route for ${req.method} ${path}` });
  }

  /**
   * Reads Slack's body here, within the limit, and hands it to Bolt already read (Bolt takes a
   * `rawBody` it finds on the request). Bolt's own refusal leaves the rest of a large body on the
   * socket, so the next request on a kept-alive connection would be read from the middle of it.
   */
  private async passToSlack(listener: RequestListener, req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return listener(req, res);
    const body = await readBody(req, this.options.maxBodyBytes);
    if (body === 'too_large') {
      this.logger.warn({ limit: this.options.maxBodyBytes }, 'refused a Slack request body over the limit');
      return refuseTooLarge(res, this.options.maxBodyBytes);
    }
    Object.assign(req, { rawBody: body });
    return listener(req, res);
  }
}
