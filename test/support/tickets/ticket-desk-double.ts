import {
  type CreatedTicket,
  type TicketDesk,
  TicketDeskError,
  type TicketRequest,
} from '../../../src/support/ports.js';

/** Conversation ids, unique across every double in a test file, as a real desk's are. */
let nextId = 1000;

/** A ticket desk that does what the test says: up, down (retryable), refusing, or slow; it counts every call. */
export class TicketDeskDouble implements TicketDesk {
  readonly name = 'helpscout';
  readonly label = 'HelpScout';
  readonly calls: TicketRequest[] = [];
  mode: 'up' | 'down' | 'rate_limited' | 'refusing' | 'hanging' = 'up';
  available = true;
  /** How long each call takes, so racing workers overlap. */
  latencyMs = 0;

  isAvailable(): boolean {
    return this.available;
  }

  /** How many times a ticket with this key reached the desk. */
  callsFor(idempotencyKey: string): number {
    return this.calls.filter((call) => call.idempotencyKey === idempotencyKey).length;
  }

  async createTicket(request: TicketRequest, { signal }: { signal: AbortSignal }): Promise<CreatedTicket> {
    this.calls.push(request);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    switch (this.mode) {
      case 'down':
        throw new TicketDeskError('HelpScout is unreachable (503)', true);
      case 'rate_limited':
        throw new TicketDeskError('HelpScout rate limit reached', true, 60_000);
      case 'refusing':
        throw new TicketDeskError('HelpScout rejected the customer email', false);
      case 'hanging':
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        throw new Error('unreachable');
      case 'up': {
        const id = nextId++;
        return {
          externalId: String(id),
          number: String(id - 900),
          url: `https://secure.helpscout.net/conversation/${id}`,
        };
      }
    }
  }
}
