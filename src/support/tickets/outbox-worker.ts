import type { Logger } from 'pino';
import type { TicketNotifier } from './ports.js';
import type { TicketService } from './ticket-service.js';
import type { Ticket } from './types.js';

export interface TicketOutboxWorkerOptions {
  tickets: Pick<TicketService, 'fileDue'>;
  /** Told about every ticket a step changed, so the asker's card follows it. */
  notifier?: TicketNotifier;
  logger: Logger;
  /** Time between looks at the outbox when it had nothing more to do. */
  pollIntervalMs?: number;
  /** Tickets claimed per step. */
  batchSize?: number;
}

/**
 * Drains the ticket outbox: every poll, files the pending tickets that are due. Several replicas
 * may run one each; a ticket is claimed by one of them at a time.
 */
export class TicketOutboxWorker {
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private step: Promise<void> | undefined;
  private running = false;

  constructor(private readonly options: TicketOutboxWorkerOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.batchSize = options.batchSize ?? 10;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling; resolves once the step in progress (if any) has recorded its outcomes. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.step;
  }

  /** One step now, whether started or not: files what is due, tells the askers; returns how many tickets it claimed. */
  async runOnce(): Promise<number> {
    const { claimed, changed } = await this.options.tickets.fileDue(this.batchSize);
    await Promise.all(changed.map((ticket) => this.notify(ticket)));
    return claimed;
  }

  private async notify(ticket: Ticket): Promise<void> {
    try {
      await this.options.notifier?.ticketChanged(ticket);
    } catch (error) {
      // The ticket itself is safe in the database; only the card is behind.
      this.options.logger.warn(
        { ticketId: ticket.id, err: (error as Error).message },
        'could not tell the asker about their ticket',
      );
    }
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
      // The database or the desk is having a bad moment: the tickets stay pending and the next poll retries.
      this.options.logger.warn({ err: (error as Error).message }, 'ticket outbox step failed');
    }
    // A full batch means more may be waiting: go on at once rather than after a poll interval.
    this.schedule(claimed >= this.batchSize ? 0 : this.pollIntervalMs);
  }
}
