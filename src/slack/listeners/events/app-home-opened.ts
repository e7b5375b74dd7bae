import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { appHomeView } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';

type HomeArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>;

/**
 * `app_home_opened` on the Home tab: publishes that person's Home (views.publish per user). A 429
 * is waited out by the Web API client, which honours Slack's Retry-After.
 */
export function appHomeOpenedCallback(deps: SlackDeps) {
  // The workspace URL for links to threads, read once per workspace with auth.test.
  const workspaceUrls = new Map<string, string | undefined>();
  return async ({ event, client, context, logger }: HomeArgs): Promise<void> => {
    const home = deps.appHome;
    if (!home || event.tab !== 'home') return;
    const teamId = context.teamId ?? '';
    if (!workspaceUrls.has(teamId)) {
      const auth = await client.auth.test().catch(() => undefined);
      workspaceUrls.set(teamId, typeof auth?.url === 'string' ? auth.url : undefined);
    }
    try {
      const data = await home.homeFor(teamId, event.user);
      await client.views.publish({
        user_id: event.user,
        view: appHomeView(data, {
          workspaceUrl: workspaceUrls.get(teamId),
          deskLabel: deps.tickets?.deskLabel,
        }),
      });
    } catch (error) {
      logger.error(`the Home tab could not be published: ${(error as Error).message}`);
    }
  };
}
