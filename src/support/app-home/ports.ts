import type { SupportRequest } from '../requests/types.js';
import type { Ticket } from '../tickets/index.js';

/** The reads App Home needs; implemented with drizzle in src/db/repositories/home-queries.ts. */
export interface HomeQueries {
  /** Requests not yet resolved in these channels, oldest first. */
  openRequestsIn(teamId: string, channelIds: readonly string[], limit: number): Promise<SupportRequest[]>;
  /** Requests this user owns and has not resolved, oldest first. */
  takenBy(teamId: string, userId: string, limit: number): Promise<SupportRequest[]>;
  /** Requests this user asked that are not resolved, newest first. */
  openAskedBy(teamId: string, userId: string, limit: number): Promise<SupportRequest[]>;
  /** Tickets this user asked for, newest first, with the thread each came from when there is one. */
  ticketsOf(
    userId: string,
    limit: number,
  ): Promise<Array<{ ticket: Ticket; thread?: { channelId: string; threadTs: string } }>>;
}
