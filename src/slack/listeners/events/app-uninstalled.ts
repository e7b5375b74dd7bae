import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { installationKeyOf } from './installation-key.js';

type UninstalledArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled'>;

/** deskhand was uninstalled from a workspace (or an org): its installation and tokens are forgotten. */
export function appUninstalledCallback(deps: SlackDeps) {
  return async ({ body, logger }: UninstalledArgs): Promise<void> => {
    const key = installationKeyOf(body);
    if (!deps.installations) {
      logger.warn(
        `deskhand was uninstalled from ${key.teamId ?? key.enterpriseId}: SLACK_BOT_TOKEN no longer works`,
      );
      return;
    }
    const removed = await deps.installations.remove(key);
    deps.logger.info({ ...key, removed }, 'app uninstalled: installation removed');
  };
}
