import type { AnswerSlices } from '../support/answer-slices.js';

interface Waiting {
  since: number;
  resolve: () => void;
}

export interface LoopTurnSlicesOptions {
  /** Answering time per turn of the loop before it reads what came in again (2 ms by default). */
  budgetMs?: number;
  /** The most steps run in one turn, however short (16 by default). */
  maxStepsPerTurn?: number;
}

/**
 * Answering steps in the event loop's check phase, a couple of milliseconds of them per turn.
 *
 * Node runs every I/O callback that is ready (new requests and their acknowledgements, replies from
 * the database) in the loop's poll phase, then the immediates queued before its check phase began;
 * immediates queued during the check phase wait for the next turn. Steps therefore run from
 * immediates queued in batches: a batch's steps run one after the other (each to its next `await`)
 * until the turn's budget is spent, and the next batch waits for the next turn, after the loop has
 * read what came in. A new request waits for one turn's budget at most, not for every answer in
 * flight. The oldest question's step goes first, so answers finish in the order they were asked
 * instead of all slowing down together, and the loop never idles while a step waits.
 */
export function loopTurnSlices(options: LoopTurnSlicesOptions = {}): AnswerSlices {
  const budgetMs = options.budgetMs ?? 2;
  const maxSteps = options.maxStepsPerTurn ?? 16;
  const waiting: Waiting[] = [];
  /** Runners queued and not run yet; 0: none (the next step queues a batch). */
  let queued = 0;
  let batch = 0;
  let startedBatch = -1;
  let batchStartedAt = 0;

  const run = (ofBatch: number) => {
    queued--;
    const now = performance.now();
    const first = startedBatch !== ofBatch;
    if (first) {
      startedBatch = ofBatch;
      batchStartedAt = now;
    }
    // Each turn runs one step at least, however small the budget.
    if (first || now - batchStartedAt < budgetMs) waiting.shift()?.resolve();
    // Queued from inside the check phase, the next batch runs in the next turn.
    if (queued === 0 && waiting.length > 0) queueBatch();
  };
  /** Runners for the waiting steps, up to the most per turn, in the batch not started yet. */
  const topUp = () => {
    const wanted = Math.min(maxSteps, waiting.length) - queued;
    for (let i = 0; i < wanted; i++) {
      queued++;
      setImmediate(run, batch);
    }
  };
  const queueBatch = () => {
    batch++;
    topUp();
  };
  return {
    next(since) {
      return new Promise<void>((resolve) => {
        let at = waiting.length;
        while (at > 0 && (waiting[at - 1] as Waiting).since > since) at--;
        waiting.splice(at, 0, { since, resolve });
        if (queued === 0) queueBatch();
        // Before its turn has come, a batch takes steps that arrive meanwhile.
        else if (startedBatch !== batch) topUp();
      });
    },
  };
}
