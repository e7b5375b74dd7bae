import type { Logger } from 'pino';

/** Whether an error means "the database cannot be reached now" (worth retrying), not "this write is wrong". */
export function isConnectionError(error: unknown): boolean {
  const err = error as { code?: string; errno?: string; message?: string; cause?: unknown } | undefined;
  if (!err) return false;
  const code = String(err.code ?? err.errno ?? '');
  if (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'EPIPE',
      'ETIMEDOUT',
      'ENOTFOUND',
      'EAI_AGAIN',
      'CONNECTION_CLOSED',
      'CONNECTION_ENDED',
      'CONNECTION_DESTROYED',
      'CONNECT_TIMEOUT',
      '57P01', // admin_shutdown
      '57P02', // crash_shutdown
      '57P03', // cannot_connect_now (starting up)
    ].includes(code) ||
    code.startsWith('08') // connection_exception class
  ) {
    return true;
  }
  if (
    /connection (terminated|refused|closed|ended)|ECONNREFUSED|write CONNECTION_CLOSED/i.test(
      err.message ?? '',
    )
  )
    return true;
  return err.cause !== undefined && err.cause !== error && isConnectionError(err.cause);
}

export interface WriteBufferOptions {
  logger: Logger;
  /** Writes kept while the database is away; past this the oldest is dropped and logged loudly. */
  maxPending?: number;
  initialRetryMs?: number;
  maxRetryMs?: number;
}

interface PendingWrite {
  label: string;
  run: () => Promise<void>;
  done: Array<() => void>;
}

/**
 * Runs database writes in order, and keeps them when the database is unreachable so a question
 * asked during a restart is still answered and stored once the database is back. Writes are
 * idempotent (upserts, keyed by ids made by the app), so a write retried after an ambiguous
 * failure is not stored twice.
 */
export class WriteBuffer {
  private readonly queue: PendingWrite[] = [];
  private draining: Promise<void> | undefined;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  dropped = 0;

  constructor(private readonly options: WriteBufferOptions) {
    this.retryMs = options.initialRetryMs ?? 250;
  }

  /** Writes waiting for the database. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Runs `write` now if nothing is waiting, else after what is waiting. Resolves once the write is
   * stored or buffered for retry; rejects only for an error that retrying cannot fix.
   */
  async write(label: string, write: () => Promise<void>): Promise<void> {
    if (this.queue.length === 0 && !this.closed) {
      try {
        await write();
        return;
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        this.options.logger.warn(
          { write: label, err: (error as Error).message },
          'database unreachable; keeping the write to retry',
        );
      }
    }
    this.enqueue({ label, run: write, done: [] });
  }

  /** Resolves when every buffered write is stored (or after `timeoutMs`); true when the buffer is empty. */
  async flush(timeoutMs = 5_000): Promise<boolean> {
    if (this.queue.length === 0) return true;
    const emptied = new Promise<true>((resolve) => {
      const last = this.queue.at(-1);
      last?.done.push(() => resolve(true));
    });
    this.kick(0);
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      emptied,
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return result;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private enqueue(write: PendingWrite): void {
    const max = this.options.maxPending ?? 10_000;
    if (this.queue.length >= max) {
      const lost = this.queue.shift();
      this.dropped++;
      this.options.logger.error(
        { write: lost?.label, dropped: this.dropped },
        'write buffer full while the database is away: dropped the oldest write',
      );
    }
    this.queue.push(write);
    this.kick(this.retryMs);
  }

  private kick(delayMs: number): void {
    if (this.closed || this.draining) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
      });
    }, delayMs);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0] as PendingWrite;
      try {
        await head.run();
      } catch (error) {
        if (isConnectionError(error)) {
          this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 5_000);
          this.kick(this.retryMs);
          return;
        }
        this.options.logger.error(
          { write: head.label, err: (error as Error).message },
          'buffered write failed for good; dropping it',
        );
      }
      this.queue.shift();
      for (const done of head.done) done();
      if (this.queue.length === 0) {
        this.options.logger.info('database back: every buffered write is stored');
        this.retryMs = this.options.initialRetryMs ?? 250;
      }
    }
  }
}
