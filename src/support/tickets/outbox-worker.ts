import type { Logger } from 'pino';
import { DrainingLoop } from '../draining-loop.js';
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
  private readonly batchSize: number;
  private readonly loop: DrainingLoop;

  constructor(private readonly options: TicketOutboxWorkerOptions) {
    this.batchSize = options.batchSize ?? 10;
    this.loop = new DrainingLoop({
      step: () => this.runOnce(),
      batchSize: this.batchSize,
      pollIntervalMs: options.pollIntervalMs ?? 5_000,
      // At once: tickets a stopped deskhand left pending are filed as soon as it is back.
      firstDelayMs: 0,
      logger: options.logger,
      // The database or the desk is having a bad moment: the tickets stay pending and the next poll retries.
      what: 'ticket outbox step',
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Stops polling; resolves once the step in progress (if any) has recorded its outcomes. */
  stop(): Promise<void> {
    return this.loop.stop();
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
}
