import type { Logger } from 'pino';
import { PeriodicTask } from '../periodic-task.js';
import type { RequestService } from './request-service.js';

export interface SlaWorkerOptions {
  requests: RequestService;
  logger: Logger;
  /** How often to look for requests past their first-response SLA. */
  intervalMs?: number;
}

/** Runs the first-response SLA scan every `intervalMs` in every replica; the claims keep it to one alert. */
export class SlaWorker extends PeriodicTask {
  constructor(options: SlaWorkerOptions) {
    super({
      run: () => options.requests.scanBreaches(),
      logger: options.logger,
      intervalMs: options.intervalMs ?? 15_000,
      what: 'SLA scan',
    });
  }
}
