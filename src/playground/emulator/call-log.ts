import { EventEmitter } from 'node:events';

/** One request the emulator answered: a Web API method, or `response_url` for a response URL post. */
export interface RecordedCall {
  method: string;
  /** The arguments as the app sent them, nested JSON (blocks, view) already parsed. */
  args: Record<string, unknown>;
  /** Milliseconds since the epoch when the call arrived. */
  at: number;
  /** The HTTP status and JSON body the emulator answered with. */
  status: number;
  response: Record<string, unknown>;
}

/** Every call the emulator answered, in order, with a way to wait for the next one that matters. */
export class CallLog {
  readonly #calls: RecordedCall[] = [];
  readonly #events = new EventEmitter<{ call: [RecordedCall] }>();

  constructor() {
    this.#events.setMaxListeners(0);
  }

  record(call: RecordedCall): void {
    this.#calls.push(call);
    this.#events.emit('call', call);
  }

  /** Calls so far, oldest first; only those of `method` when given. */
  calls(method?: string): RecordedCall[] {
    return method ? this.#calls.filter((c) => c.method === method) : [...this.#calls];
  }

  clear(): void {
    this.#calls.length = 0;
  }

  /** Calls this listener with every call recorded from now on; returns the unsubscribe function. */
  onCall(listener: (call: RecordedCall) => void): () => void {
    this.#events.on('call', listener);
    return () => this.#events.off('call', listener);
  }

  /**
   * The first call of `method` matching `predicate`, already recorded or still to come; rejects
   * after `timeoutMs` naming the calls that did arrive.
   */
  waitForCall(
    method: string,
    predicate: (call: RecordedCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    const matches = (call: RecordedCall) => call.method === method && predicate(call);
    const existing = this.#calls.find(matches);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        const seen = this.#calls.map((c) => c.method).join(', ') || 'none';
        reject(new Error(`no matching ${method} call within ${timeoutMs} ms (calls seen: ${seen})`));
      }, timeoutMs);
      const unsubscribe = this.onCall((call) => {
        if (!matches(call)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(call);
      });
    });
  }
}
