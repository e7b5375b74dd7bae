/** Counts work in flight (answers being looked up, outbox steps) so a shutdown can wait for it. */
export class WorkTracker {
  private readonly inFlight = new Set<Promise<unknown>>();
  private accepting = true;

  /** False once shutdown has begun: new work should be refused politely. */
  get isAccepting(): boolean {
    return this.accepting;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Runs `work`, remembering it until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Stops accepting, then waits for everything in flight, or until `timeoutMs`. Resolves true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.accepting = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      while (this.inFlight.size > 0) {
        const settled = await Promise.race([
          Promise.allSettled([...this.inFlight]).then(() => true as const),
          deadline,
        ]);
        if (!settled) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
