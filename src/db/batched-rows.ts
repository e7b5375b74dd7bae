import type { Logger } from 'pino';
import { isConnectionError } from './write-buffer.js';

export interface BatchedRowsOptions<T> {
  /** Stores a batch in one statement. */
  write: (batch: T[]) => Promise<void>;
  logger: Logger;
  /** What the rows are, for the log ("tool_calls rows"). */
  what: string;
  /** How long a row waits for others before its batch is written. */
  delayMs?: number;
  /** Rows kept while the database is away; past this the oldest is dropped and logged. */
  maxPending?: number;
  maxBatch?: number;
  retryMs?: number;
  /** How long `close` waits for a write under way before giving its rows up (logged). */
  closeTimeoutMs?: number;
}

interface PendingRow<T> {
  row: T;
  stored: () => void;
}

/**
 * Audit rows written off the answer's path, many to a statement: under load one insert stores
 * what a hundred questions would have written one by one. A row that waits is kept in memory, not
 * spooled (an audit, not a question); while the database is away the rows wait and are retried.
 * A batch the database refuses for its content is written again row by row, so one bad row
 * loses only itself.
 */
export class BatchedRows<T> {
  private pending: Array<PendingRow<T>> = [];
  /** The batch being written, so that a close that stops waiting for it can release its callers. */
  private writing: Array<PendingRow<T>> = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** After close, a write the database cannot take is given up, not retried: no retry timer holds the stopping process open. */
  private closed = false;

  constructor(private readonly options: BatchedRowsOptions<T>) {}

  /** Keeps `row` for the next batch; resolves once it is stored or given up (logged). */
  add(row: T): Promise<void> {
    if (this.pending.length >= (this.options.maxPending ?? 10_000)) {
      this.options.logger.warn(`${this.options.what}: buffer full; dropping the oldest`);
      this.pending.shift()?.stored();
    }
    return new Promise((stored) => {
      this.pending.push({ row, stored });
      this.schedule(this.options.delayMs ?? 50);
    });
  }

  /** Writes every pending row; rows the database could not take for now stay for a retry. */
  async flush(): Promise<void> {
    if (this.flushing) {
      await this.flushing;
    } else if (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxBatch ?? 500);
      this.writing = batch;
      this.flushing = this.writeBatch(batch)
        .then(() => undefined)
        .finally(() => {
          this.writing = [];
          this.flushing = undefined;
        });
      await this.flushing;
    } else {
      return;
    }
    if (this.pending.length > 0 && !this.timer) await this.flush();
  }

  /**
   * Writes what is pending, once; rows the database cannot take now (it is away) are given up and
   * logged, so a process stopping during an outage is not held open by its audit rows.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    // A write can wait long for a connection or a lock; a stopping process does not wait past this
    // for audit rows, so that it ends within its grace period.
    let waited: NodeJS.Timeout | undefined;
    const flushed = await Promise.race([
      this.flush().then(() => true),
      new Promise<false>((resolve) => {
        waited = setTimeout(() => resolve(false), this.options.closeTimeoutMs ?? 3_000);
      }),
    ]);
    clearTimeout(waited);
    clearTimeout(this.timer);
    this.timer = undefined;
    const left = [...(flushed ? [] : this.writing), ...this.pending.splice(0)];
    if (left.length === 0) return;
    this.options.logger.warn(
      flushed
        ? `${left.length} ${this.options.what} not stored: the database is away`
        : `${left.length} ${this.options.what} not stored: the database did not take them within the shutdown wait`,
    );
    for (const { stored } of left) stored();
  }

  private schedule(delayMs: number): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  /** Writes `batch`; false when the database could not be reached and its rows wait, in order, for a retry. */
  private async writeBatch(batch: Array<PendingRow<T>>): Promise<boolean> {
    const { write, logger, what } = this.options;
    try {
      await write(batch.map(({ row }) => row));
    } catch (error) {
      if (isConnectionError(error) && this.closed) {
        logger.warn(
          { err: (error as Error).message },
          `${batch.length} ${what} not stored: the database is away`,
        );
        for (const { stored } of batch) stored();
        return true;
      }
      if (isConnectionError(error)) {
        this.pending.unshift(...batch);
        logger.warn({ err: (error as Error).message }, `could not write ${what}; will retry`);
        this.schedule(this.options.retryMs ?? 1000);
        return false;
      }
      if (batch.length > 1) {
        for (const [index, single] of batch.entries()) {
          if (await this.writeBatch([single])) continue;
          // The database went away mid-way: the rest waits behind the row just put back, in order.
          this.pending.splice(1, 0, ...batch.slice(index + 1));
          return false;
        }
        return true;
      }
      logger.warn({ err: (error as Error).message }, `a row of ${what} was refused; dropped`);
    }
    for (const { stored } of batch) stored();
    return true;
  }
}
