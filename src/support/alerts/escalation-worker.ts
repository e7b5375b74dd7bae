import type { Logger } from 'pino';
import type { AlertService } from './alert-service.js';

export interface EscalationWorkerOptions {
  alerts: AlertService;
  logger: Logger;
  /** How often to look for alerts no one took. */
  intervalMs?: number;
}

/** Looks for alerts no one took in time and escalates them, every `intervalMs`, one run at a time. */
export class EscalationWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: EscalationWorkerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.runOnce();
    }, this.options.intervalMs ?? 30_000);
    this.timer.unref();
  }

  /** One pass; a pass already under way is joined rather than doubled. Resolves to how many were escalated. */
  runOnce(): Promise<number> {
    this.running ??= this.options.alerts
      .escalateDue()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: (error as Error).message }, 'escalation run failed');
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
