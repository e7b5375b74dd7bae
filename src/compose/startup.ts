import type { Logger } from 'pino';
import type { AppConfig } from '../config/env.js';
import type { McpServiceConfig } from '../config/mcp-services.js';
import {
  PLAYGROUND_ALERT_CHANNEL,
  PLAYGROUND_DIGEST_CHANNEL,
  PLAYGROUND_SUPPORT_CHANNEL,
} from '../playground/server.js';

/**
 * The config deskhand runs with: without Slack credentials the playground stands in for a
 * workspace, with its channels as defaults.
 */
export function withPlaygroundDefaults(configFromEnv: AppConfig): AppConfig {
  if (configFromEnv.slack.kind !== 'playground') return configFromEnv;
  return {
    ...configFromEnv,
    alertChannel: configFromEnv.alertChannel ?? PLAYGROUND_ALERT_CHANNEL,
    digest: {
      ...configFromEnv.digest,
      channel: configFromEnv.digest.channel ?? PLAYGROUND_DIGEST_CHANNEL,
    },
    supportChannels:
      configFromEnv.supportChannels.length > 0 ? configFromEnv.supportChannels : [PLAYGROUND_SUPPORT_CHANNEL],
  };
}

/** Tells where deskhand runs and how to reach it, and warns about what is not set up. */
export function logStartup(
  logger: Logger,
  config: AppConfig,
  url: string,
  services: McpServiceConfig[],
): void {
  const sources = services.map((service) => `${service.name} (${service.transport})`).join(', ');
  if (config.slack.kind === 'playground') {
    logger.info(
      `deskhand is running with no Slack credentials: open the playground at ${url}/ and type ` +
        '"/support How do I reset my password?". To connect a real workspace, create an app from manifest.yml ' +
        'and set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode). From the terminal: ' +
        `npx deskhand ask "How do I reset my password?". MCP services: ${sources}.`,
    );
  } else {
    const mode =
      config.slack.kind === 'oauth'
        ? `multi-workspace mode (install it in a workspace from ${url}/slack/install)`
        : `${config.slack.kind === 'http' ? 'HTTP' : 'Socket'} mode`;
    logger.info(`deskhand is running at ${url} in ${mode}. MCP services: ${sources}.`);
  }
  if (!config.alertChannel)
    logger.warn('ALERT_CHANNEL is not set: urgent questions will get tickets but no channel alert');
}
