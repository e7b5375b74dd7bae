import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { SlackEmulator, type SlackEmulatorOptions } from '../../src/playground/emulator/index.js';

export const TEST_BOT_TOKEN = 'xoxb-test-deskhand';
export const TEST_SIGNING_SECRET = 'test-signing-secret';

/** The playground's Slack emulator, listening on 127.0.0.1, with what tests need to talk to it. */
export class FakeSlack extends SlackEmulator {
  readonly botToken: string;
  readonly signingSecret: string;

  constructor(options: SlackEmulatorOptions) {
    super(options);
    this.botToken = options.botToken;
    this.signingSecret = options.signingSecret;
  }

  /** A real WebClient on this fake with the bot token and quick retries (override any option). */
  client(options: WebClientOptions = {}, token: string | undefined = this.botToken): WebClient {
    return new WebClient(token, {
      slackApiUrl: this.apiUrl,
      retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 10 },
      logLevel: LogLevel.ERROR,
      ...options,
    });
  }
}

/** Starts a fake Slack on an ephemeral port; `fake.apiUrl` is what deskhand's SLACK_API_URL should be. */
export async function startFakeSlack(options: Partial<SlackEmulatorOptions> = {}): Promise<FakeSlack> {
  const fake = new FakeSlack({ botToken: TEST_BOT_TOKEN, signingSecret: TEST_SIGNING_SECRET, ...options });
  await fake.listen(0);
  return fake;
}
