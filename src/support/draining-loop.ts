import type { Logger } from 'pino';

export interface DrainingLoopOptions {
  /** One step: claims and handles up to `batchSize` items of an outbox; resolves to how many it claimed. */
  step: () => Promise<number>;
  batchSize: number;
  /** Time between steps when the last one found less than a full batch. */
  pollIntervalMs: number;
  /** Time before the first step after `start`. */
  firstDelayMs: number;
  logger: Logger;
  /** Names a failed step in the log: "ticket outbox step". */
  what: string;
}

/**
 * Drains an outbox: a step every poll, the next one at once after a full batch (more may be
 * waiting), one step at a time. A failed step is logged and the items stay for the next. Safe in
 * every replica when a step claims its items in the database.
 */
export class DrainingLoop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private running = false;

  constructor(private readonly options: DrainingLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.options.firstDelayMs);
  }

  /** Stops polling; resolves once the step in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.current = this.tick().finally(() => {
        this.current = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let claimed = 0;
    try {
      claimed = await this.options.step();
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, `${this.options.what} failed`);
    }
    this.schedule(claimed >= this.options.batchSize ? 0 : this.options.pollIntervalMs);
  }
}
