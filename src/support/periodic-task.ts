import type { Logger } from 'pino';

export interface PeriodicTaskOptions {
  /** One pass; resolves to how much it did (alerts escalated, breaches alerted…). */
  run: () => Promise<number>;
  logger: Logger;
  intervalMs: number;
  /** Names a failed pass in the log: "escalation run", "SLA scan". */
  what: string;
}

/**
 * Runs a pass every `intervalMs`, one at a time: a pass asked for while one is under way joins it
 * rather than doubling it. Safe in every replica when the pass itself claims its work in the database.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly task: PeriodicTaskOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.runOnce();
    }, this.task.intervalMs);
    this.timer.unref();
  }

  /** One pass, or the one under way; a failed pass is logged and counts as 0. */
  runOnce(): Promise<number> {
    this.running ??= this.task
      .run()
      .catch((error: unknown) => {
        this.task.logger.warn({ err: (error as Error).message }, `${this.task.what} failed`);
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
