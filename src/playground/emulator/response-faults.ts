import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log.js';
import { readBody, sendJson } from './http.js';

/** How a response URL post fails: Slack failing for a moment (5xx), busy (429), or the connection dropped. */
export type ResponseUrlFault =
  | { status: 500 | 502 | 503 | 504 }
  | { status: 429; retryAfterSeconds: number }
  | 'drop';

/** Faults queued for the next response URL posts, whichever URL they go to (tests and the fault suite). */
export class ResponseUrlFaults {
  readonly #queue: ResponseUrlFault[] = [];

  constructor(
    private readonly callLog: CallLog,
    private readonly urlOf: (token: string) => string,
  ) {}

  add(fault: ResponseUrlFault, times: number): void {
    for (let i = 0; i < times; i += 1) this.#queue.push(fault);
  }

  /** Answers the post with the next queued fault, if any (true); the post is read but not applied. */
  async apply(req: IncomingMessage, res: ServerResponse, token: string): Promise<boolean> {
    const fault = this.#queue.shift();
    if (!fault) return false;
    const raw = await readBody(req);
    const status = fault === 'drop' ? 0 : fault.status;
    const body = { ok: false, error: fault === 'drop' ? 'connection_dropped' : `http_${status}` };
    this.callLog.record({
      method: 'response_url',
      args: { raw, response_url: this.urlOf(token) },
      at: Date.now(),
      status,
      response: body,
    });
    if (fault === 'drop') req.socket.destroy();
    else if (fault.status === 429)
      sendJson(
        res,
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(fault.retryAfterSeconds) },
      );
    else sendJson(res, fault.status, body);
    return true;
  }
}
