import { describe, expect, it } from 'vitest';
import { BatchedRows, type BatchedRowsOptions } from '../../src/db/batched-rows.js';
import { createLogger } from '../../src/observability/logger.js';

const logger = createLogger({ level: 'silent' });
/** The database cannot be reached: the rows wait for a retry. */
const unreachable = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
/** The database refuses the content: a batch is written again row by row. */
const refused = () => Object.assign(new Error('invalid input syntax'), { code: '22P02' });

/** Numbers written in batches by `write`; a row waits 1 ms for others unless the test says otherwise. */
function numbers(options: Pick<BatchedRowsOptions<number>, 'write'> & Partial<BatchedRowsOptions<number>>) {
  return new BatchedRows<number>({ logger, what: 'numbers', delayMs: 1, ...options });
}

describe('BatchedRows', () => {
  it('writes a burst in one statement and resolves each row once it is stored', async () => {
    const writes: number[][] = [];
    const rows = numbers({
      delayMs: 5,
      write: async (batch) => {
        writes.push(batch);
      },
    });
    const stored = Array.from({ length: 100 }, (_, i) => rows.add(i));
    expect(writes).toEqual([]);
    await Promise.all(stored);
    expect(writes).toEqual([Array.from({ length: 100 }, (_, i) => i)]);
  });

  it('writes a refused batch again row by row, so one bad row loses only itself', async () => {
    const stored: number[] = [];
    const rows = numbers({
      write: async (batch) => {
        if (batch.includes(13)) throw refused();
        stored.push(...batch);
      },
    });
    await Promise.all([12, 13, 14].map((n) => rows.add(n)));
    expect(stored).toEqual([12, 14]);
  });

  it('keeps the order when the database goes away while a refused batch is written row by row', async () => {
    const stored: number[] = [];
    let thirteenTries = 0;
    const rows = numbers({
      retryMs: 5,
      write: async (batch) => {
        if (batch.length > 1 && batch.includes(13)) throw refused();
        if (batch[0] === 13 && thirteenTries++ === 0) throw unreachable();
        stored.push(...batch);
      },
    });
    await Promise.all([12, 13, 14].map((n) => rows.add(n)));
    expect(stored).toEqual([12, 13, 14]);
  });

  it('keeps the rows while the database is away and writes them, in order, once it is back', async () => {
    let down = 2;
    const stored: number[] = [];
    const rows = numbers({
      retryMs: 5,
      write: async (batch) => {
        if (down-- > 0) throw unreachable();
        stored.push(...batch);
      },
    });
    await Promise.all([1, 2, 3].map((n) => rows.add(n)));
    expect(stored).toEqual([1, 2, 3]);
  });

  it('drops the oldest row past maxPending, and close writes what is left', async () => {
    const stored: number[] = [];
    const rows = numbers({
      delayMs: 60_000,
      maxPending: 2,
      write: async (batch) => {
        stored.push(...batch);
      },
    });
    const first = rows.add(1);
    void rows.add(2);
    void rows.add(3);
    await first; // given up, not left hanging
    await rows.close();
    expect(stored).toEqual([2, 3]);
  });

  it('gives up what the database cannot take at close, so a process stopping during an outage is not held open', async () => {
    let attempts = 0;
    const rows = numbers({
      delayMs: 60_000,
      retryMs: 5,
      write: async () => {
        attempts++;
        throw unreachable();
      },
    });
    const given = rows.add(1);
    await rows.close();
    await given;
    const tried = attempts;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(tried).toBe(1);
    expect(attempts).toBe(1); // no retry left running
  });

  it('stops waiting at close for a write that hangs, and releases everyone waiting on its rows', async () => {
    let attempts = 0;
    let fail: (error: Error) => void = () => {};
    const rows = numbers({
      closeTimeoutMs: 50,
      retryMs: 5,
      write: () => {
        attempts++;
        return new Promise<void>((_resolve, reject) => {
          fail = reject;
        });
      },
    });
    const writing = rows.add(1);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the batch is under way, and hangs
    const waiting = rows.add(2);
    const started = Date.now();
    await rows.close();
    await Promise.all([writing, waiting]);
    expect(Date.now() - started).toBeLessThan(1_000);
    // The hung write fails at last (the server stopped): nothing is retried after close.
    fail(unreachable());
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(attempts).toBe(1);
  });

  it('still writes a row added after close (a late answer), rather than leaving its caller waiting', async () => {
    const written: number[] = [];
    const rows = numbers({ write: async (batch) => void written.push(...batch) });
    await rows.close();
    await rows.add(7);
    expect(written).toEqual([7]);
  });
});
