import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface InjectedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * The shared machinery of the fakes of outside APIs: an HTTP server on loopback that records every
 * request and lets a test inject failures (429s, 5xx), delays and hangs before the real handler runs.
 */
export abstract class FakeApi {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private injected: InjectedResponse[] = [];
  private delayMs = 0;
  private hanging = false;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` requests get this response instead of the real one. */
  failNext(times: number, response: InjectedResponse): void {
    for (let i = 0; i < times; i++) this.injected.push(response);
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  hang(enabled: boolean): void {
    this.hanging = enabled;
  }

  protected abstract handle(request: RecordedRequest, url: URL): InjectedResponse | Promise<InjectedResponse>;

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    this.requests.push(request);
    if (this.hanging) return;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const response =
      this.injected.shift() ?? (await this.handle(request, new URL(request.path, 'http://fake')));
    const body =
      response.body === undefined
        ? ''
        : typeof response.body === 'string'
          ? response.body
          : JSON.stringify(response.body);
    res.writeHead(response.status, {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...response.headers,
    });
    res.end(body);
  }
}
