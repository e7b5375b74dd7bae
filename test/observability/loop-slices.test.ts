import { describe, expect, it } from 'vitest';
import { loopTurnSlices } from '../../src/observability/loop-slices.js';

/** Holds the event loop, as a long synchronous stretch of answering would. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // working
  }
}

describe('loopTurnSlices', () => {
  it('runs the oldest question’s step first, whatever order the steps came in', async () => {
    const slices = loopTurnSlices();
    const ran: string[] = [];
    await Promise.all(
      [
        { name: 'asked third', since: 30 },
        { name: 'asked first', since: 10 },
        { name: 'asked second', since: 20 },
      ].map(async ({ name, since }) => {
        await slices.next(since);
        ran.push(name);
      }),
    );
    expect(ran).toEqual(['asked first', 'asked second', 'asked third']);
  });

  it('lets the loop read what came in once a turn’s budget is spent, and runs every step', async () => {
    const slices = loopTurnSlices({ budgetMs: 2 });
    const ran: string[] = [];
    const step = async (name: string, since: number) => {
      await slices.next(since);
      if (name === 'a') setTimeout(() => ran.push('request read'), 0);
      busy(3);
      ran.push(name);
    };
    await Promise.all([step('a', 1), step('b', 2), step('c', 3)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Unsliced, all three steps would run before the timer: the loop would be held 9 ms.
    expect(ran.indexOf('request read')).toBeLessThan(ran.indexOf('c'));
    expect(ran.filter((entry) => entry !== 'request read')).toEqual(['a', 'b', 'c']);
  });

  it('runs several short steps in one turn', async () => {
    const slices = loopTurnSlices({ budgetMs: 50 });
    const ran: string[] = [];
    setTimeout(() => ran.push('timer'), 0);
    await Promise.all(
      ['a', 'b', 'c'].map(async (name, index) => {
        await slices.next(index);
        ran.push(name);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ran.slice(0, 3)).toEqual(['a', 'b', 'c']);
  });
});
