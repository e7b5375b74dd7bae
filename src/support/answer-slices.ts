/**
 * Where answering work waits for its next slice of the process's time. Answering a question is a
 * few milliseconds of work in several steps (the lookup, the ranking and the reply, the card); a
 * new request needs well under one to be read and acknowledged. Each step waits for its slice, so
 * requests that came in meanwhile are read and acknowledged first.
 */
export interface AnswerSlices {
  /**
   * Resolves when the caller's next step may run; `since` is when its question came in
   * (`performance.now()`): the oldest question's step goes first.
   */
  next(since: number): Promise<void>;
}

/** No slicing: each step runs as soon as the one before it is done (tests, scripts). */
export const unsliced: AnswerSlices = { next: () => Promise.resolve() };
