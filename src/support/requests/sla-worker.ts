import type { Logger } from 'pino';
import type { RequestService } from './request-service.js';

export interface SlaWorkerOptions {
  requests: RequestService;
  logger: Logger;
  /** How often to look for requests past their first-response SLA. */
  intervalMs?: number;
}

/** Runs the first-response SLA scan every `intervalMs` in every replica; the claims keep it to one alert. */
export class SlaWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: SlaWorkerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.runOnce();
    }, this.options.intervalMs ?? 15_000);
    this.timer.unref();
  }

  /** One scan; a scan under way is joined rather than doubled. Resolves to how many alerts were posted. */
  runOnce(): Promise<number> {
    this.running ??= this.options.requests
      .scanBreaches()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: (error as Error).message }, 'SLA scan failed');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
