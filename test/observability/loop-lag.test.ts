import { describe, expect, it } from 'vitest';
import { timerLoopLagProbe } from '../../src/observability/loop-lag.js';

describe('timerLoopLagProbe', () => {
  it('reports about how long the loop was held, and stops when asked', async () => {
    const samples: number[] = [];
    const stop = timerLoopLagProbe(5).watch((lagMs) => samples.push(lagMs));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const busyUntil = performance.now() + 60;
    while (performance.now() < busyUntil) {
      // hold the event loop, as a long synchronous stretch of answering would
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    const count = samples.length;
    expect(Math.max(...samples)).toBeGreaterThanOrEqual(50);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(samples).toHaveLength(count);
  });
});
