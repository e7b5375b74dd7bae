import type { Database } from '../db/client.js';
import { DrizzleHomeQueries } from '../db/repositories/home-queries.js';
import { AppHomeService } from '../support/app-home/index.js';
import type { ChannelSettingsService } from '../support/channel-settings/index.js';
import type { RequestService } from '../support/requests/index.js';

/** Each person's Home tab, from the requests and tickets tables and the channels' settings. */
export function buildAppHome(options: {
  database: Database;
  channelSettings: ChannelSettingsService;
  requests: Pick<RequestService, 'isResponder'>;
}): AppHomeService {
  return new AppHomeService({
    queries: new DrizzleHomeQueries(options.database.db),
    supportChannels: (teamId) => options.channelSettings.supportChannels(teamId),
    settings: options.channelSettings,
    // The viewer is never the asker of "the channel": anyone who may respond counts.
    isResponder: (settings, userId) => options.requests.isResponder(settings, userId),
  });
}
