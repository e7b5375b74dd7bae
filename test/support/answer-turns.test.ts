import { describe, expect, it } from 'vitest';
import { AnswerTurns, type LoopLagProbe, TurnsFullError } from '../../src/support/answer-turns.js';

/** A probe the test drives: `sample(ms)` reports a lag to whoever watches. */
function manualProbe() {
  let listener: ((lagMs: number) => void) | undefined;
  let watches = 0;
  const probe: LoopLagProbe = {
    watch(onSample) {
      watches++;
      listener = onSample;
      return () => {
        listener = undefined;
      };
    },
  };
  return {
    probe,
    sample: (lagMs: number) => listener?.(lagMs),
    watching: () => listener !== undefined,
    watches: () => watches,
  };
}

/** Work that runs until the test lets it finish. */
function gatedWork() {
  const started: number[] = [];
  const releases: Array<() => void> = [];
  return {
    started,
    task: (id: number) => () => {
      started.push(id);
      return new Promise<number>((resolve) => releases.push(() => resolve(id)));
    },
    releaseFirst: () => releases.shift()?.(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AnswerTurns', () => {
  it('without a probe, lets exactly max run and the rest wait, first come first served', async () => {
    const turns = new AnswerTurns({ max: 2, maxWaiting: 10 });
    const work = gatedWork();
    const done = [0, 1, 2, 3].map((id) => turns.run(work.task(id)));
    await tick();
    expect(work.started).toEqual([0, 1]);
    expect(turns.load).toEqual({ answering: 2, waiting: 2 });
    work.releaseFirst();
    await tick();
    expect(work.started).toEqual([0, 1, 2]);
    for (let i = 0; i < 3; i++) {
      work.releaseFirst();
      await tick();
    }
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3]);
    expect(turns.load).toEqual({ answering: 0, waiting: 0 });
  });

  it('turns work away when too many wait', async () => {
    const turns = new AnswerTurns({ max: 1, maxWaiting: 1 });
    const work = gatedWork();
    const first = turns.run(work.task(0));
    const second = turns.run(work.task(1));
    await expect(turns.run(work.task(2))).rejects.toBeInstanceOf(TurnsFullError);
    work.releaseFirst();
    await tick();
    work.releaseFirst();
    expect(await Promise.all([first, second])).toEqual([0, 1]);
  });

  it('halves the limit while the loop comes late, never below two, and grows it by one while on time and questions wait', async () => {
    const lag = manualProbe();
    const turns = new AnswerTurns({ max: 64, maxWaiting: 100, lag: lag.probe });
    expect(turns.limit).toBe(8);
    const work = gatedWork();
    const done = Array.from({ length: 20 }, (_, id) => turns.run(work.task(id)));
    await tick();
    expect(work.started).toHaveLength(8);
    lag.sample(150);
    expect(turns.limit).toBe(4);
    lag.sample(150);
    lag.sample(150);
    expect(turns.limit).toBe(2);
    // Finishing work does not start more while more than the limit already run.
    work.releaseFirst();
    await tick();
    expect(turns.load.answering).toBe(7);
    for (let i = 0; i < 5; i++) work.releaseFirst();
    await tick();
    expect(turns.load.answering).toBe(2);
    // On time again: one more per sample while questions wait.
    lag.sample(1);
    expect(turns.limit).toBe(3);
    expect(turns.load.answering).toBe(3);
    lag.sample(1);
    expect(turns.load.answering).toBe(4);
    // Work started in the order it came.
    await tick();
    expect(work.started).toEqual(Array.from({ length: 10 }, (_, id) => id));
    while (turns.load.answering > 0) {
      work.releaseFirst();
      await tick();
    }
    expect(await Promise.all(done)).toHaveLength(20);
    // Idle again: the next burst starts from the starting limit, not from where this one left it.
    expect(turns.limit).toBe(8);
  });

  it('does not grow the limit while nothing waits, and never past max', async () => {
    const lag = manualProbe();
    const turns = new AnswerTurns({ max: 9, maxWaiting: 100, lag: lag.probe });
    const work = gatedWork();
    const one = turns.run(work.task(0));
    lag.sample(0);
    expect(turns.limit).toBe(8);
    const more = Array.from({ length: 10 }, (_, id) => turns.run(work.task(id + 1)));
    await tick();
    for (let i = 0; i < 5; i++) lag.sample(0);
    expect(turns.limit).toBe(9);
    while (turns.load.answering > 0) {
      work.releaseFirst();
      await tick();
    }
    await Promise.all([one, ...more]);
  });

  it('watches the loop only while answers are in flight or waiting', async () => {
    const lag = manualProbe();
    const turns = new AnswerTurns({ max: 4, maxWaiting: 10, lag: lag.probe });
    expect(lag.watching()).toBe(false);
    const work = gatedWork();
    const done = turns.run(work.task(0));
    await tick();
    expect(lag.watching()).toBe(true);
    work.releaseFirst();
    await done;
    expect(lag.watching()).toBe(false);
    await turns.run(async () => 1);
    expect(lag.watches()).toBe(2);
  });
});
