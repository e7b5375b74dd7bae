import type { SupportRequest } from '../requests/types.js';
import type { Ticket } from '../tickets/index.js';

/** One request as the Home tab lists it. */
export interface HomeRequest {
  request: SupportRequest;
  /** False for a private channel's request shown to someone other than its asker. */
  showText: boolean;
  /** Minutes until the first-response SLA is breached (negative: breached); absent once someone replied. */
  slaLeftMinutes?: number;
  ageMinutes: number;
}

/** Everything one person's Home tab shows. */
export interface HomeData {
  userId: string;
  /** The support channels whose requests this person takes. */
  responderChannels: string[];
  /** Open requests of those channels, oldest first. */
  queue: HomeRequest[];
  /** What they have taken and not resolved. */
  taken: HomeRequest[];
  /** Their own open requests. */
  mine: HomeRequest[];
  tickets: Array<{ ticket: Ticket; thread?: { channelId: string; threadTs: string } }>;
  generatedAt: Date;
}
