import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { DrainingLoop } from '../../src/support/draining-loop.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await pause(5);
  }
}
const loops: DrainingLoop[] = [];

afterEach(async () => {
  for (const loop of loops.splice(0)) await loop.stop();
});

/** A loop over an outbox of `pending` items, `batchSize` per step; records when each step ran. */
function drain(options: { pending: number; batchSize: number; failFirst?: boolean }) {
  const steps: number[] = [];
  const started = Date.now();
  let pending = options.pending;
  let failNext = options.failFirst ?? false;
  const loop = new DrainingLoop({
    step: async () => {
      steps.push(Date.now() - started);
      if (failNext) {
        failNext = false;
        throw new Error('the database is away');
      }
      const claimed = Math.min(pending, options.batchSize);
      pending -= claimed;
      return claimed;
    },
    batchSize: options.batchSize,
    pollIntervalMs: 200,
    firstDelayMs: 0,
    logger: createLogger({ level: 'silent' }),
    what: 'test outbox step',
  });
  loops.push(loop);
  return { loop, steps, left: () => pending };
}

describe('DrainingLoop', () => {
  it('goes on at once after a full batch, and waits a poll after a partial one', async () => {
    const { loop, steps, left } = drain({ pending: 25, batchSize: 10 });
    loop.start();
    await until(() => steps.length >= 4);
    // 10, 10, 5 back to back (no poll interval between them), then a poll's wait before the 4th.
    expect(left()).toBe(0);
    expect((steps[2] ?? 0) - (steps[0] ?? 0)).toBeLessThan(150);
    expect((steps[3] ?? 0) - (steps[2] ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('keeps going after a failed step, leaving the items for the next', async () => {
    const { loop, steps, left } = drain({ pending: 3, batchSize: 10, failFirst: true });
    loop.start();
    await until(() => left() === 0);
    expect(steps.length).toBeGreaterThanOrEqual(2);
  });

  it('stops polling, after the step under way', async () => {
    const { loop, steps } = drain({ pending: 0, batchSize: 10 });
    loop.start();
    await pause(50);
    await loop.stop();
    const seen = steps.length;
    await pause(300);
    expect(steps).toHaveLength(seen);
  });
});
