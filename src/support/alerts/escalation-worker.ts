import type { Logger } from 'pino';
import { PeriodicTask } from '../periodic-task.js';
import type { AlertService } from './alert-service.js';

export interface EscalationWorkerOptions {
  alerts: AlertService;
  logger: Logger;
  /** How often to look for alerts no one took. */
  intervalMs?: number;
}

/** Looks for alerts no one took in time and escalates them, every `intervalMs`, one run at a time. */
export class EscalationWorker extends PeriodicTask {
  constructor(options: EscalationWorkerOptions) {
    super({
      run: () => options.alerts.escalateDue(),
      logger: options.logger,
      intervalMs: options.intervalMs ?? 30_000,
      what: 'escalation run',
    });
  }
}
