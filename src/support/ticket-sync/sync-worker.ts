import type { Logger } from 'pino';
import type { TicketSyncService } from './ticket-sync-service.js';

export interface ThreadSyncWorkerOptions {
  sync: Pick<TicketSyncService, 'sendDue'>;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
}

/** Drains the thread-additions outbox every poll; several replicas may run one each. */
export class ThreadSyncWorker {
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private step: Promise<void> | undefined;
  private running = false;

  constructor(private readonly options: ThreadSyncWorkerOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.batchSize = options.batchSize ?? 20;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.pollIntervalMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.step;
  }

  /** One step now: sends what is due; returns how many additions it claimed. */
  runOnce(): Promise<number> {
    return this.options.sync.sendDue(this.batchSize);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.step = this.tick().finally(() => {
        this.step = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let claimed = 0;
    try {
      claimed = await this.runOnce();
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'thread sync step failed');
    }
    this.schedule(claimed >= this.batchSize ? 0 : this.pollIntervalMs);
  }
}
