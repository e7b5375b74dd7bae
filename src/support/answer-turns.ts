/**
 * How long the process's event loop was late, sampled while answers are in flight: the one signal
 * that tells answering work apart from the work that must not wait (reading a new request and
 * acknowledging it within Slack's three seconds). See AnswerTurns.
 */
export interface LoopLagProbe {
  /** Starts calling `onSample` with how late (ms) each tick came; returns the function that stops it. */
  watch(onSample: (lagMs: number) => void): () => void;
}

export interface AnswerTurnsOptions {
  /** The most answers in flight at once (MAX_CONCURRENT_ANSWERS). */
  max: number;
  /** How many may wait for a turn before another is turned away. */
  maxWaiting: number;
  /** Without one, the limit stays at `max`. */
  lag?: LoopLagProbe;
  /** A loop later than this is congested: fewer answers go on at once (10 ms by default). */
  targetLagMs?: number;
}

/** More questions wait for a turn than are kept waiting. */
export class TurnsFullError extends Error {
  override name = 'TurnsFullError';
}

/** The fewest answers kept in flight however congested the loop: answering never stops. */
const MIN_LIMIT = 2;
/** Where the limit starts: a burst probes upwards from here instead of all starting at once. */
const START_LIMIT = 8;

/**
 * Turns to answer, first come first served, with a limit that follows the event loop.
 *
 * Every request, every database reply and every step of every answer shares one event loop, and
 * libuv accepts one new connection per turn of it (libuv/libuv#3696). With many answers in flight
 * a turn of the loop grows to hundreds of milliseconds, so under a burst new connections wait
 * seconds to be accepted, and a request's acknowledgement deadline (seconds, for a chat platform)
 * passes before the request has even been read. The limit is therefore halved whenever the loop
 * comes late and grows by one while it is on time and questions wait (additive increase,
 * multiplicative decrease): beyond what the process can answer, the excess waits here, stored and
 * cheap, while requests are still read and acknowledged at once.
 */
export class AnswerTurns {
  private readonly queue: Array<() => void> = [];
  private active = 0;
  private currentLimit: number;
  private stopWatching: (() => void) | undefined;
  private readonly targetLagMs: number;

  constructor(private readonly options: AnswerTurnsOptions) {
    this.currentLimit = options.lag ? Math.min(options.max, START_LIMIT) : options.max;
    this.targetLagMs = options.targetLagMs ?? 10;
  }

  /** Answers in flight and waiting. */
  get load(): { answering: number; waiting: number } {
    return { answering: this.active, waiting: this.queue.length };
  }

  /** How many may be in flight now. */
  get limit(): number {
    return this.currentLimit;
  }

  /** Runs `work` in its turn; throws TurnsFullError at once when too many already wait. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.currentLimit || this.queue.length > 0) {
      if (this.queue.length >= this.options.maxWaiting)
        throw new TurnsFullError('too many questions are waiting to be answered');
      this.watchLag();
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active++;
      this.watchLag();
    }
    try {
      return await work();
    } finally {
      this.active--;
      this.startWaiting();
      if (this.active === 0 && this.queue.length === 0) this.unwatchLag();
    }
  }

  /** One lag sample: halve the limit when the loop came late, else let one more in while questions wait. */
  observe(lagMs: number): void {
    if (lagMs > this.targetLagMs) {
      this.currentLimit = Math.max(Math.min(MIN_LIMIT, this.options.max), Math.floor(this.currentLimit / 2));
    } else if (this.queue.length > 0 && this.active >= this.currentLimit) {
      this.currentLimit = Math.min(this.options.max, this.currentLimit + 1);
      this.startWaiting();
    }
  }

  private startWaiting(): void {
    while (this.active < this.currentLimit && this.queue.length > 0) {
      this.active++;
      this.queue.shift()?.();
    }
  }

  private watchLag(): void {
    if (this.stopWatching || !this.options.lag) return;
    this.stopWatching = this.options.lag.watch((lagMs) => this.observe(lagMs));
  }

  /** Idle: nothing runs, so the loop is not congested by answers; the next burst starts where the first did. */
  private unwatchLag(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    if (this.options.lag)
      this.currentLimit = Math.max(this.currentLimit, Math.min(this.options.max, START_LIMIT));
  }
}
