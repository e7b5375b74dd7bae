import type { LoopLagProbe } from '../support/answer-turns.js';

/**
 * Event-loop lag from a timer's lateness: a tick every `intervalMs` that reports how much later
 * than asked it ran. Unreferenced, so it never keeps the process alive, and only running while
 * someone watches (the answer turns stop it when nothing is in flight).
 */
export function timerLoopLagProbe(intervalMs = 10): LoopLagProbe {
  return {
    watch(onSample) {
      let expected = performance.now() + intervalMs;
      const timer = setInterval(() => {
        const now = performance.now();
        onSample(Math.max(0, now - expected));
        expected = now + intervalMs;
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
