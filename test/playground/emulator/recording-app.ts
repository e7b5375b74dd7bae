import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the app answers: status and body; JSON bodies are sent as JSON. */
export type Reply = { status?: number; body?: unknown };

/** A stand-in for an app's `/slack/events`: records every request and answers as told. */
export class RecordingApp {
  readonly received: ReceivedRequest[] = [];
  reply: (request: ReceivedRequest) => Reply = () => ({});
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(request);
        const { status = 200, body } = this.reply(request);
        if (body === undefined) {
          res.writeHead(status).end();
        } else if (typeof body === 'string') {
          res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
        } else {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    return this;
  }

  last(): ReceivedRequest {
    const request = this.received.at(-1);
    if (!request) throw new Error('the app received nothing');
    return request;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
