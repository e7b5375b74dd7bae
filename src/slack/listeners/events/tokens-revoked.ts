import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { installationKeyOf } from './installation-key.js';

type RevokedArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'tokens_revoked'>;

/**
 * Tokens of a workspace were revoked. A revoked bot token leaves deskhand nothing to act with there,
 * so the installation is removed; it comes back when someone installs deskhand again.
 */
export function tokensRevokedCallback(deps: SlackDeps) {
  return async ({ body, event, logger }: RevokedArgs): Promise<void> => {
    const key = installationKeyOf(body);
    const botRevoked = (event.tokens.bot ?? []).length > 0;
    if (!botRevoked) {
      logger.info(`user tokens revoked in ${key.teamId ?? key.enterpriseId}; deskhand keeps none`);
      return;
    }
    if (!deps.installations) {
      logger.warn(
        `deskhand's bot token was revoked in ${key.teamId ?? key.enterpriseId}: SLACK_BOT_TOKEN no longer works`,
      );
      return;
    }
    const removed = await deps.installations.remove(key);
    deps.logger.info({ ...key, removed }, 'bot token revoked: installation removed');
  };
}
