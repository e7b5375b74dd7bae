import { type Clock, systemClock } from '../ports.js';
import type { ChannelSettingsSource } from '../requests/ports.js';
import type { ChannelSettings, SupportRequest } from '../requests/types.js';
import type { HomeQueries } from './ports.js';
import type { HomeData, HomeRequest } from './types.js';

/** How many items each part of the Home tab lists (Slack allows 100 blocks in a view). */
export const HOME_LIST_MAX = 15;

export interface AppHomeServiceOptions {
  queries: HomeQueries;
  /** The workspace's support channels (SUPPORT_CHANNELS and those with saved settings). */
  supportChannels: (teamId: string) => Promise<string[]>;
  settings: ChannelSettingsSource;
  /** Whether the user takes the channel's requests (responders, their group, else the admins). */
  isResponder: (settings: ChannelSettings, userId: string) => Promise<boolean>;
  clock?: Clock;
}

/**
 * What a person's Home tab shows: for a responder, the open requests of their channels oldest
 * first with the SLA time left, and what they have taken; for everyone, their own open requests
 * and their tickets.
 */
export class AppHomeService {
  private readonly clock: Clock;

  constructor(private readonly options: AppHomeServiceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async homeFor(teamId: string, userId: string): Promise<HomeData> {
    const { queries } = this.options;
    const channels = await this.options.supportChannels(teamId);
    const responderOf: string[] = [];
    for (const channelId of channels) {
      const settings = await this.options.settings.settingsFor(channelId);
      if (settings && (await this.options.isResponder(settings, userId))) responderOf.push(channelId);
    }
    const [queue, taken, mine, tickets] = await Promise.all([
      responderOf.length > 0
        ? queries.openRequestsIn(teamId, responderOf, HOME_LIST_MAX)
        : Promise.resolve([]),
      queries.takenBy(teamId, userId, HOME_LIST_MAX),
      queries.openAskedBy(teamId, userId, HOME_LIST_MAX),
      queries.ticketsOf(userId, HOME_LIST_MAX),
    ]);
    const now = this.clock.now();
    return {
      userId,
      responderChannels: responderOf,
      queue: queue.map((request) => this.item(request, now, userId)),
      taken: taken.map((request) => this.item(request, now, userId)),
      mine: mine.map((request) => this.item(request, now, userId)),
      tickets,
      generatedAt: now,
    };
  }

  private item(request: SupportRequest, now: Date, viewerId: string): HomeRequest {
    const waiting = !request.firstResponseAt && request.status !== 'resolved';
    return {
      request,
      // Text asked in a private channel is shown only to the person who asked it.
      showText: request.channelKind !== 'private' || request.askerId === viewerId,
      ...(waiting
        ? { slaLeftMinutes: Math.floor((request.slaDueAt.getTime() - now.getTime()) / 60_000) }
        : {}),
      ageMinutes: Math.max(0, Math.floor((now.getTime() - request.createdAt.getTime()) / 60_000)),
    };
  }
}
