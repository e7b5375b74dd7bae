import type { Logger } from 'pino';
import type { Digest, Period } from '../../digest/index.js';
import type { WorkTracker } from '../../runtime/work-tracker.js';
import type { SupportService } from '../../support/support-service.js';
import type { TicketService } from '../../support/tickets/index.js';

/** What deskhand's own MCP tools need from the rest of deskhand; built once by the composition root. */
export interface DeskhandToolDeps {
  support: Pick<SupportService, 'ask' | 'checkRateLimit' | 'prepare'>;
  tickets: Pick<TicketService, 'requestTicket' | 'findByKey' | 'deskConfigured' | 'deskLabel'>;
  /** The digest of a period with nothing asked privately: an agent's user may not have read it where it was asked. */
  digest: (period: Period) => Promise<Digest>;
  /** Who the questions and tickets are stored as (see `mcpAskerId`). */
  askerId: string;
  /** Answers in flight, so a shutdown waits for them. */
  work?: WorkTracker;
  logger: Logger;
  now?: () => Date;
}
