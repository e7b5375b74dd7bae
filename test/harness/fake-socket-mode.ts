import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { JsonObject, TransportAnswer, WebApiAnswer } from '../../src/playground/emulator/index.js';
import type { FakeSlack } from './fake-slack.js';

/** The app-level token (`xapp-…`) the fake accepts for `apps.connections.open`. */
export const TEST_APP_TOKEN = 'xapp-1-A0DESKHAND-1-0123456789-testsocketmodeapptoken';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

/** One envelope as it went out, with what came back for it. */
export interface EnvelopeRecord {
  envelopeId: string;
  type: EnvelopeType;
  payload: JsonObject;
  retryAttempt: number;
  retryReason: string;
  connectionId: number;
  sentAt: number;
  ackedAt?: number;
  ackPayload?: JsonObject;
  /** Acks received for this envelope id; more than one means it was answered twice. */
  acks: number;
}

/** One WebSocket connection an app opened with a ticket from `apps.connections.open`. */
export interface ConnectionRecord {
  id: number;
  openedAt: number;
  closedAt?: number;
  /** The `disconnect` reason Slack sent on it, if any. */
  disconnectReason?: DisconnectReason;
}

export interface FakeSocketModeOptions {
  appToken?: string;
  /** How long Slack waits for an envelope's ack before it gives up (or redelivers an event): 3 s. */
  ackTimeoutMs?: number;
  /** How many times an unacknowledged event is redelivered: Slack retries three times. */
  maxEventRetries?: number;
  /** After a `warning` disconnect, Slack closes the connection itself after about 10 s. */
  warningGraceMs?: number;
  /** Slack pings every connection; the client's server-ping watchdog depends on it. */
  pingIntervalMs?: number;
}

interface Delivery {
  type: EnvelopeType;
  payload: JsonObject;
  acceptsResponsePayload: boolean;
  attempt: number;
  current?: EnvelopeRecord;
  timer?: NodeJS.Timeout;
  done(answer: TransportAnswer): void;
}

interface LiveConnection {
  record: ConnectionRecord;
  socket: WebSocket;
  ping: NodeJS.Timeout;
}

type Fault = 'drop-before-ack' | 'drop-on-ack' | 'lose-ack';

/**
 * Slack's Socket Mode side, beside the fake Web API: `apps.connections.open` (app token only)
 * hands out one-use `ws://…/link/?ticket=…` URLs; a connection gets `hello`, then envelopes of
 * commands, interactions and events, each to be acked with `{ envelope_id, payload? }` within
 * 3 s. An unacked event is redelivered with `retry_attempt` + 1 and `retry_reason: timeout`, on
 * whatever connection is open then. Tests can send `disconnect`, drop sockets, and lose acks.
 */
export class FakeSocketMode {
  readonly appToken: string;
  readonly appId: string;
  readonly envelopes: EnvelopeRecord[] = [];
  readonly connections: ConnectionRecord[] = [];
  /** `apps.connections.open` calls, accepted or not, with the token they came with and how. */
  readonly opens: {
    at: number;
    token: string | undefined;
    viaHeader: boolean;
    ok: boolean;
    error?: string;
  }[] = [];
  readonly #slack: FakeSlack;
  readonly #options: Required<Omit<FakeSocketModeOptions, 'appToken'>>;
  readonly #tickets = new Set<string>();
  readonly #live = new Map<number, LiveConnection>();
  readonly #inFlight = new Map<string, Delivery>();
  readonly #waiting: Delivery[] = [];
  readonly #faults: Fault[] = [];
  readonly #faultFor = new Map<string, Fault>();
  readonly #listeners = new Set<() => void>();
  #server: Server | undefined;
  #wss: WebSocketServer | undefined;
  #port = 0;
  #nextConnectionId = 1;

  constructor(slack: FakeSlack, options: FakeSocketModeOptions = {}) {
    this.#slack = slack;
    this.appToken = options.appToken ?? TEST_APP_TOKEN;
    this.appId = slack.workspace.appId;
    this.#options = {
      ackTimeoutMs: options.ackTimeoutMs ?? 3_000,
      maxEventRetries: options.maxEventRetries ?? 3,
      warningGraceMs: options.warningGraceMs ?? 10_000,
      pingIntervalMs: options.pingIntervalMs ?? 5_000,
    };
  }

  /** Listens on 127.0.0.1, serves `apps.connections.open` on the fake Web API and takes over its outbound side. */
  async start(): Promise<void> {
    const server = createServer((_req, res) => {
      res.writeHead(404).end();
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => this.#upgrade(wss, req, socket as Socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.#wss = wss;
    this.#port = (server.address() as AddressInfo).port;
    this.#slack.webApi.defineMethod('apps.connections.open', (_args, token, viaHeader) =>
      this.#open(token, viaHeader),
    );
    this.#slack.outbound.transport = ({ payload }) => this.#deliver(payload);
  }

  async close(): Promise<void> {
    this.#slack.outbound.transport = undefined;
    for (const delivery of [...this.#inFlight.values(), ...this.#waiting]) {
      clearTimeout(delivery.timer);
      delivery.done({ status: 503, body: 'socket mode closed', headers: {} });
    }
    this.#inFlight.clear();
    this.#waiting.length = 0;
    for (const live of this.#live.values()) {
      clearInterval(live.ping);
      live.socket.terminate();
    }
    this.#wss?.close();
    const server = this.#server;
    this.#server = undefined;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Connections open now, oldest first. */
  get openConnections(): ConnectionRecord[] {
    return [...this.#live.values()].map((live) => live.record);
  }

  /** Resolves once `count` connections have been opened in all (hello sent), the first one counting as 1. */
  waitForConnections(count: number, timeoutMs = 15_000): Promise<ConnectionRecord> {
    return this.#waitUntil(
      () => (this.connections.length >= count ? this.connections[count - 1] : undefined),
      timeoutMs,
      `connection #${count}`,
    );
  }

  /** Resolves once an envelope matching `predicate` has been acked. */
  waitForAck(predicate: (record: EnvelopeRecord) => boolean, timeoutMs = 10_000): Promise<EnvelopeRecord> {
    return this.#waitUntil(
      () => this.envelopes.find((record) => record.ackedAt !== undefined && predicate(record)),
      timeoutMs,
      'an acked envelope',
    );
  }

  /** Sends `disconnect` with this reason on every open connection; Slack closes it itself after a grace period. */
  disconnect(reason: DisconnectReason): void {
    for (const live of this.#live.values()) {
      live.record.disconnectReason = reason;
      live.socket.send(
        JSON.stringify({
          type: 'disconnect',
          reason,
          debug_info: { host: `applink-fake-${live.record.id}` },
        }),
      );
      const grace = reason === 'warning' ? this.#options.warningGraceMs : 1_000;
      setTimeout(() => live.socket.close(1001, 'disconnect'), grace).unref();
    }
  }

  /** Drops every open connection at once, without a close frame, as a lost network does. */
  dropConnections(): void {
    for (const live of this.#live.values()) live.socket.terminate();
  }

  /**
   * The next envelope meets this fault: its socket dropped right after it is sent
   * (`drop-before-ack`), its socket dropped when the ack arrives so the ack is lost
   * (`drop-on-ack`), or its ack lost on a socket that stays open (`lose-ack`).
   */
  failNextEnvelope(fault: Fault): void {
    this.#faults.push(fault);
  }

  #open(token: string | undefined, viaHeader: boolean): WebApiAnswer {
    const refuse = (error: string): WebApiAnswer => {
      this.opens.push({ at: Date.now(), token, viaHeader, ok: false, error });
      return { status: 200, body: { ok: false, error }, headers: {} };
    };
    // The app-level token is only taken from the Authorization header.
    if (!token || !viaHeader) return refuse('not_authed');
    if (/^xox[bpe]-/.test(token)) return refuse('not_allowed_token_type');
    if (token !== this.appToken) return refuse('invalid_auth');
    const ticket = randomUUID();
    this.#tickets.add(ticket);
    this.opens.push({ at: Date.now(), token, viaHeader, ok: true });
    return {
      status: 200,
      body: { ok: true, url: `ws://127.0.0.1:${this.#port}/link/?ticket=${ticket}&app_id=${this.appId}` },
      headers: {},
    };
  }

  #upgrade(wss: WebSocketServer, req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    // A ticket is good for one connection, as Slack's are.
    if (url.pathname !== '/link/' || !this.#tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(socket: WebSocket): void {
    const record: ConnectionRecord = { id: this.#nextConnectionId++, openedAt: Date.now() };
    const ping = setInterval(() => socket.ping(), this.#options.pingIntervalMs);
    ping.unref();
    const live: LiveConnection = { record, socket, ping };
    this.#live.set(record.id, live);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.#onAck(live, data.toString());
    });
    socket.on('close', () => {
      clearInterval(ping);
      record.closedAt = Date.now();
      this.#live.delete(record.id);
      this.#notify();
    });
    socket.on('error', () => {});
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.#live.size,
        debug_info: {
          host: `applink-fake-${record.id}`,
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: this.appId },
      }),
    );
    this.connections.push(record);
    for (const delivery of this.#waiting.splice(0)) this.#send(delivery);
    this.#notify();
  }

  #deliver(payload: JsonObject): Promise<TransportAnswer> {
    const type: EnvelopeType =
      typeof payload.command === 'string'
        ? 'slash_commands'
        : payload.type === 'event_callback'
          ? 'events_api'
          : 'interactive';
    const acceptsResponsePayload =
      type === 'slash_commands' || payload.type === 'view_submission' || payload.type === 'block_suggestion';
    return new Promise((resolve) => {
      const delivery: Delivery = {
        type,
        payload,
        acceptsResponsePayload,
        attempt: 0,
        done: resolve,
      };
      this.#send(delivery);
    });
  }

  #send(delivery: Delivery): void {
    const live = [...this.#live.values()].at(-1);
    if (!live) {
      // Events wait for the app to connect again; a person's command or click fails after the timeout.
      this.#waiting.push(delivery);
      if (delivery.type !== 'events_api') {
        delivery.timer = setTimeout(() => {
          const index = this.#waiting.indexOf(delivery);
          if (index >= 0) this.#waiting.splice(index, 1);
          delivery.done({ status: 503, body: 'no socket mode connection', headers: {} });
        }, this.#options.ackTimeoutMs);
      }
      return;
    }
    clearTimeout(delivery.timer);
    const record: EnvelopeRecord = {
      envelopeId: randomUUID(),
      type: delivery.type,
      payload: delivery.payload,
      retryAttempt: delivery.attempt,
      retryReason: delivery.attempt === 0 ? '' : 'timeout',
      connectionId: live.record.id,
      sentAt: Date.now(),
      acks: 0,
    };
    delivery.current = record;
    this.envelopes.push(record);
    this.#inFlight.set(record.envelopeId, delivery);
    const fault = this.#faults.shift();
    if (fault) this.#faultFor.set(record.envelopeId, fault);
    live.socket.send(
      JSON.stringify({
        envelope_id: record.envelopeId,
        type: record.type,
        payload: record.payload,
        accepts_response_payload: delivery.acceptsResponsePayload,
        retry_attempt: record.retryAttempt,
        retry_reason: record.retryReason,
      }),
    );
    if (fault === 'drop-before-ack') live.socket.terminate();
    delivery.timer = setTimeout(() => this.#timedOut(delivery, record), this.#options.ackTimeoutMs);
    this.#notify();
  }

  #timedOut(delivery: Delivery, record: EnvelopeRecord): void {
    this.#inFlight.delete(record.envelopeId);
    if (delivery.type === 'events_api' && delivery.attempt < this.#options.maxEventRetries) {
      delivery.attempt += 1;
      this.#send(delivery);
      return;
    }
    delivery.done({ status: 408, body: 'no ack in time', headers: {} });
  }

  #onAck(live: LiveConnection, text: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== 'string') return;
    const record = this.envelopes.find((candidate) => candidate.envelopeId === message.envelope_id);
    if (!record) return;
    const fault = this.#faultFor.get(record.envelopeId);
    this.#faultFor.delete(record.envelopeId);
    if (fault === 'drop-on-ack') {
      live.socket.terminate();
      return;
    }
    if (fault === 'lose-ack') return;
    record.acks += 1;
    if (record.acks > 1) return;
    record.ackedAt = Date.now();
    const payload =
      typeof message.payload === 'object' && message.payload !== null ? (message.payload as JsonObject) : {};
    record.ackPayload = payload;
    const delivery = this.#inFlight.get(record.envelopeId);
    this.#inFlight.delete(record.envelopeId);
    this.#notify();
    if (!delivery) return;
    clearTimeout(delivery.timer);
    delivery.done({
      status: 200,
      body: Object.keys(payload).length > 0 ? JSON.stringify(payload) : '',
      headers: { 'content-type': 'application/json' },
    });
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #waitUntil<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = find();
        if (value === undefined) return;
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`fake Socket Mode: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#listeners.add(check);
    });
  }
}

/** A fake Socket Mode endpoint started on this fake Slack. */
export async function startFakeSocketMode(
  slack: FakeSlack,
  options: FakeSocketModeOptions = {},
): Promise<FakeSocketMode> {
  const fake = new FakeSocketMode(slack, options);
  await fake.start();
  return fake;
}
