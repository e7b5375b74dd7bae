import type { Logger } from 'pino';
import { DrainingLoop } from '../draining-loop.js';
import type { TicketSyncService } from './ticket-sync-service.js';

export interface ThreadSyncWorkerOptions {
  sync: Pick<TicketSyncService, 'sendDue'>;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
}

/** Drains the thread-additions outbox every poll; several replicas may run one each. */
export class ThreadSyncWorker {
  private readonly batchSize: number;
  private readonly loop: DrainingLoop;

  constructor(private readonly options: ThreadSyncWorkerOptions) {
    const pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.batchSize = options.batchSize ?? 20;
    this.loop = new DrainingLoop({
      step: () => this.runOnce(),
      batchSize: this.batchSize,
      pollIntervalMs,
      firstDelayMs: pollIntervalMs,
      logger: options.logger,
      what: 'thread sync step',
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One step now: sends what is due; returns how many additions it claimed. */
  runOnce(): Promise<number> {
    return this.options.sync.sendDue(this.batchSize);
  }
}
