import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedMessage } from '../../src/playground/emulator/index.js';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';

const ASKER = 'U0ASKER';
const RESPONDER = 'U0AGENT1';
const HELP = 'C0HELP';

type HomeBlock = { block_id?: string; text?: { text?: string } };

describe('the Home tab', () => {
  let t: TestDeskhand;
  const roots: EmulatedMessage[] = [];

  /** Opens the Home tab as this user and returns the blocks deskhand published for them. */
  async function openHome(userId: string): Promise<HomeBlock[]> {
    const before = t.slack.calls('views.publish').filter((call) => call.args.user_id === userId).length;
    await t.driver.event({ type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home' });
    await t.slack.waitForCall(
      'views.publish',
      () =>
        t.slack.calls('views.publish').filter((call) => call.args.user_id === userId && call.response.ok)
          .length > before,
      10_000,
    );
    return (t.slack.webApi.homeView(userId)?.blocks ?? []) as HomeBlock[];
  }

  const texts = (blocks: HomeBlock[], prefix: string) =>
    blocks.filter((block) => block.block_id?.startsWith(prefix)).map((block) => block.text?.text ?? '');

  beforeAll(async () => {
    t = await startTestDeskhand({
      env: { SUPPORT_ADMINS: RESPONDER, SUPPORT_CHANNELS: HELP, FIRST_RESPONSE_SLA_MINUTES: '30' },
    });
    for (const text of ['Where is the VPN config?', 'Printer on floor 3 <is> jammed']) {
      const { message } = await t.driver.channelMessage({ userId: ASKER, channelId: HELP, text });
      roots.push(message);
      await t.slack.waitForMessage(
        (reply) => reply.thread_ts === message.ts && reply.bot_id !== undefined,
        15_000,
      );
    }
    // The responder takes the second request with 👀.
    await t.driver.reaction({ userId: RESPONDER, channelId: HELP, ts: roots[1]?.ts as string, name: 'eyes' });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const request = await t.deskhand.requests.findByThread('T0DESKHAND', HELP, roots[1]?.ts as string);
      if (request?.takenBy === RESPONDER) break;
      await new Promise((done) => setTimeout(done, 50));
    }
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("shows a responder their channels' open requests oldest first with SLA time left, and what they took", async () => {
    const blocks = await openHome(RESPONDER);
    expect(texts(blocks, 'home_queue_title')[0]).toContain('<#C0HELP>');
    const queue = texts(blocks, 'home_queue_');
    expect(queue).toHaveLength(3); // the title and two requests
    expect(queue[1]).toContain('Where is the VPN config?');
    expect(queue[2]).toContain('Printer on floor 3 &lt;is&gt; jammed');
    expect(queue[1]).toMatch(/SLA: (29|30) min left/);
    expect(queue[2]).toContain(`taken by <@${RESPONDER}>`);
    const link = `https://deskhand.slack.com/archives/${HELP}/p${roots[0]?.ts.replace('.', '')}`;
    expect(queue[1]).toContain(`<${link}|`);
    const taken = texts(blocks, 'home_taken_');
    expect(taken.some((line) => line.includes('Printer on floor 3'))).toBe(true);
    expect(taken.some((line) => line.includes('VPN'))).toBe(false);
  });

  it('shows an asker their own open requests with links, and no queue', async () => {
    const blocks = await openHome(ASKER);
    expect(texts(blocks, 'home_queue')).toEqual([]);
    const mine = texts(blocks, 'home_mine_');
    expect(mine.filter((line) => line.includes('/archives/C0HELP/'))).toHaveLength(2);
    expect(texts(blocks, 'home_tickets_none')[0]).toContain('No tickets');
  });

  it('waits out a 429 and publishes once', async () => {
    t.slack.failNext('views.publish', { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const blocks = await openHome(ASKER);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(blocks.length).toBeGreaterThan(0);
    const calls = t.slack.calls('views.publish').filter((call) => call.args.user_id === ASKER);
    expect(calls.map((call) => call.status).slice(-2)).toEqual([429, 200]);
  });
});
