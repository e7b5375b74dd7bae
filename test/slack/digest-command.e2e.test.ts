import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';

describe('/support digest', () => {
  let t: TestDeskhand;
  beforeAll(async () => {
    t = await startTestDeskhand({ env: { SUPPORT_ADMINS: 'U0AGENT1' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('politely refuses someone who is not a support admin', async () => {
    const delivery = await t.driver.slashCommand({ userId: 'U0ASKER', text: 'digest 7d' });
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatch(/for the support admins/);
    expect(delivery.body).not.toMatch(/Questions/);
  });

  it('shows an admin the digest, only to them', async () => {
    await t.driver.slashCommand({ userId: 'U0ASKER', text: 'How do I reset my password?' });
    await t.slack.waitForMessage(
      (message) =>
        message.ephemeralTo === 'U0ASKER' && /answer_solved/.test(JSON.stringify(message.blocks ?? [])),
      10_000,
    );
    await t.driver.slashCommand({ userId: 'U0AGENT1', text: 'digest 30d' });
    const digest = await t.slack.waitForMessage(
      (message) =>
        message.ephemeralTo === 'U0AGENT1' && /Support digest/.test(JSON.stringify(message.blocks ?? [])),
      10_000,
    );
    expect(JSON.stringify(digest.blocks)).toMatch(/Questions/);
  });

  it('explains a period it cannot read', async () => {
    const delivery = await t.driver.slashCommand({ userId: 'U0AGENT1', text: 'digest forever' });
    expect(delivery.body).toMatch(/not a period/);
  });
});
