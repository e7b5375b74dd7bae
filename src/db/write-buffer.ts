import type { Logger } from 'pino';
import type { SpooledWrite, WriteSpool } from './spool.js';

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
  /** Where buffered writes are kept on disk until stored; without it a crash loses them. */
  spool?: WriteSpool;
  /** Writes kept while the database is away; past this the oldest is dropped and logged loudly. */
  maxPending?: number;
  initialRetryMs?: number;
  maxRetryMs?: number;
}

/** Stores one kind of write in the database; the same for a write made now and one replayed from the spool. */
export type WriteApplier = (data: unknown) => Promise<void>;

interface PendingWrite extends SpooledWrite {
  done: Array<() => void>;
}

/**
 * Runs database writes in order, and keeps them when the database is unreachable so a question
 * asked during a restart is still answered and stored once the database is back. A kept write is
 * spooled to disk before it is acknowledged, so a crash during the outage loses nothing: the next
 * start replays it. Writes are idempotent (upserts, keyed by ids made by the app), so a write
 * retried after an ambiguous failure, or replayed after a crash, is not stored twice.
 *
 * Writes are data (`{ kind, data }`), run by the applier registered for their kind, so that they
 * can be written to the spool and replayed by another process.
 */
export class WriteBuffer {
  private readonly queue: PendingWrite[] = [];
  private readonly appliers = new Map<string, WriteApplier>();
  private draining: Promise<void> | undefined;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private held = false;
  /** A retry asked for while a drain was under way. */
  private retryAfterDrain: number | undefined;
  dropped = 0;
  /** Dropped from memory since the spool was last emptied: the spool must then be kept for the next start. */
  private droppedSinceClear = 0;

  constructor(private readonly options: WriteBufferOptions) {
    this.retryMs = options.initialRetryMs ?? 250;
  }

  /** Says how writes of one kind are stored. Every kind must be registered before `write` or `replay`. */
  register(kind: string, applier: WriteApplier): void {
    this.appliers.set(kind, applier);
  }

  /** Writes waiting for the database. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Keeps every write until `release()`: the database is not ready (unreachable at start, or its
   * migrations are not applied yet), so writing now could only fail.
   */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    if (this.queue.length > 0) this.kick(0);
  }

  /** Takes over the writes a stopped deskhand left in the spool; they are stored with the next drain. */
  async replay(): Promise<number> {
    const recovered = (await this.options.spool?.recover()) ?? [];
    for (const write of recovered) this.enqueue({ ...write, done: [] });
    return recovered.length;
  }

  /**
   * Runs the write now if nothing is waiting, else after what is waiting. Resolves once the write is
   * stored, or kept (on disk, with a spool) for retry; rejects only for an error that retrying cannot fix.
   */
  async write(kind: string, data: unknown): Promise<void> {
    const apply = this.applier(kind);
    if (this.queue.length === 0 && !this.closed && !this.held) {
      try {
        await apply(data);
        return;
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        this.options.logger.warn(
          { write: kind, err: (error as Error).message },
          'database unreachable; keeping the write to retry',
        );
      }
    }
    // Queued before it is on disk, so a drain that empties the queue meanwhile cannot clear the
    // spool under it; acknowledged only once it is on disk.
    this.enqueue({ kind, data, done: [] });
    await this.options.spool?.append({ kind, data });
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

  /** Stops retrying; what is still buffered stays in the spool for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.draining;
    await this.options.spool?.close();
  }

  private applier(kind: string): WriteApplier {
    const apply = this.appliers.get(kind);
    if (!apply) throw new Error(`no applier registered for writes of kind "${kind}"`);
    return apply;
  }

  private enqueue(write: PendingWrite): void {
    const max = this.options.maxPending ?? 10_000;
    if (this.queue.length >= max) {
      const lost = this.queue.shift();
      this.dropped++;
      this.droppedSinceClear++;
      this.options.logger.error(
        { write: lost?.kind, dropped: this.dropped },
        this.options.spool
          ? 'write buffer full while the database is away: dropped the oldest write from memory; it stays in the spool for the next start'
          : 'write buffer full while the database is away: dropped the oldest write',
      );
    }
    this.queue.push(write);
    this.kick(this.retryMs);
  }

  private kick(delayMs: number): void {
    if (this.closed || this.held) return;
    // A drain under way takes what is queued; one that ends on an unreachable database asks for
    // its retry from inside, so the retry is scheduled for when it has finished.
    if (this.draining) {
      this.retryAfterDrain = Math.min(this.retryAfterDrain ?? delayMs, delayMs);
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
        const retry = this.retryAfterDrain;
        this.retryAfterDrain = undefined;
        if (retry !== undefined && this.queue.length > 0) this.kick(retry);
      });
    }, delayMs);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed && !this.held) {
      const head = this.queue[0] as PendingWrite;
      try {
        await this.applier(head.kind)(head.data);
      } catch (error) {
        if (isConnectionError(error)) {
          this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 5_000);
          this.kick(this.retryMs);
          return;
        }
        this.options.logger.error(
          { write: head.kind, err: (error as Error).message },
          'buffered write failed for good; dropping it',
        );
      }
      this.queue.shift();
      if (this.queue.length === 0) {
        // Only once everything in it is stored: a crash before this replays it all, idempotently.
        if (this.droppedSinceClear === 0) await this.options.spool?.clear();
        this.options.logger.info('database back: every buffered write is stored');
        this.retryMs = this.options.initialRetryMs ?? 250;
      }
      for (const done of head.done) done();
    }
  }
}
