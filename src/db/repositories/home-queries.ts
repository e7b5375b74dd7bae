import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { HomeQueries } from '../../support/app-home/index.js';
import type { SupportRequest } from '../../support/requests/index.js';
import type { Ticket } from '../../support/tickets/index.js';
import type { Db } from '../client.js';
import { requests, tickets, ticketThreads } from '../schema/index.js';
import { toRequest } from './request-store.js';
import { toTicket } from './ticket-store.js';

/** App Home's reads of `requests` and `tickets`, each on an index (channel/status, taken_by, asker). */
export class DrizzleHomeQueries implements HomeQueries {
  constructor(private readonly db: Db) {}

  async openRequestsIn(
    teamId: string,
    channelIds: readonly string[],
    limit: number,
  ): Promise<SupportRequest[]> {
    if (channelIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(requests)
      .where(
        and(
          eq(requests.teamId, teamId),
          inArray(requests.channelId, [...channelIds]),
          ne(requests.status, 'resolved'),
        ),
      )
      .orderBy(asc(requests.createdAt), asc(requests.id))
      .limit(limit);
    return rows.map(toRequest);
  }

  async takenBy(teamId: string, userId: string, limit: number): Promise<SupportRequest[]> {
    const rows = await this.db
      .select()
      .from(requests)
      .where(and(eq(requests.teamId, teamId), eq(requests.takenBy, userId), ne(requests.status, 'resolved')))
      .orderBy(asc(requests.createdAt), asc(requests.id))
      .limit(limit);
    return rows.map(toRequest);
  }

  async openAskedBy(teamId: string, userId: string, limit: number): Promise<SupportRequest[]> {
    const rows = await this.db
      .select()
      .from(requests)
      .where(and(eq(requests.teamId, teamId), eq(requests.askerId, userId), ne(requests.status, 'resolved')))
      .orderBy(desc(requests.createdAt), desc(requests.id))
      .limit(limit);
    return rows.map(toRequest);
  }

  async ticketsOf(
    userId: string,
    limit: number,
  ): Promise<Array<{ ticket: Ticket; thread?: { channelId: string; threadTs: string } }>> {
    const rows = await this.db
      .select({ ticket: tickets, channelId: ticketThreads.channelId, threadTs: ticketThreads.threadTs })
      .from(tickets)
      .leftJoin(ticketThreads, eq(ticketThreads.ticketId, tickets.id))
      .where(eq(tickets.requesterId, userId))
      .orderBy(desc(tickets.createdAt), desc(tickets.id))
      .limit(limit);
    return rows.map((row) => ({
      ticket: toTicket(row.ticket),
      ...(row.channelId && row.threadTs
        ? { thread: { channelId: row.channelId, threadTs: row.threadTs } }
        : {}),
    }));
  }
}
