import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';

const ADMIN = 'U0AGENT1';
const ASKER = 'U0ASKER';
const PRIVATE_CHANNEL = 'G0SECRET';

/** Waits for the answer card a question gets, so it is stored before the digest is asked for. */
async function answered(t: TestDeskhand, predicate: (text: string) => boolean): Promise<void> {
  await t.slack.waitForMessage(
    (message) => predicate(JSON.stringify(message.blocks ?? []) + message.text),
    15_000,
  );
}

describe('/support digest never shows text asked privately', () => {
  let t: TestDeskhand;
  beforeAll(async () => {
    t = await startTestDeskhand({ env: { SUPPORT_ADMINS: ADMIN } });
    t.slack.workspace.addChannel({ id: PRIVATE_CHANNEL, name: 'exec-private', kind: 'private', created: 0 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('counts questions from a private channel and a DM as asked privately, and shows public ones', async () => {
    await t.driver.slashCommand({
      userId: ASKER,
      channelId: PRIVATE_CHANNEL,
      text: 'flamingo acquisition codename rollout',
    });
    await answered(t, (text) => /answer_create_ticket/.test(text) && /flamingo/.test(text));
    await t.driver.directMessage({ userId: ASKER, text: 'pelican salary spreadsheet import' });
    await answered(t, (text) => /answer_create_ticket/.test(text) && /pelican/.test(text));
    await t.driver.slashCommand({ userId: ASKER, text: 'walrus widget colour palette' });
    await answered(t, (text) => /answer_create_ticket/.test(text) && /walrus/.test(text));

    await t.driver.slashCommand({ userId: ADMIN, text: 'digest 7d' });
    const digest = await t.slack.waitForMessage(
      (message) =>
        message.ephemeralTo === ADMIN && /Support digest/.test(JSON.stringify(message.blocks ?? [])),
      15_000,
    );
    const shown = JSON.stringify(digest.blocks);
    expect(shown).toMatch(/walrus/);
    expect(shown).toMatch(/asked privately/);
    expect(shown).not.toMatch(/flamingo/);
    expect(shown).not.toMatch(/pelican/);
  });
});

describe('admin commands in a real workspace without SUPPORT_ADMINS', () => {
  let t: TestDeskhand;
  beforeAll(async () => {
    t = await startTestDeskhand();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses the digest and says how to name the admins', async () => {
    const delivery = await t.driver.slashCommand({ userId: ASKER, text: 'digest 7d' });
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatch(/SUPPORT_ADMINS/);
    expect(delivery.body).not.toMatch(/Questions/);
  });

  it('does not offer the digest in the help of a workspace without admins', async () => {
    const delivery = await t.driver.slashCommand({ userId: ASKER, text: 'help' });
    expect(delivery.body).not.toMatch(/support digest/);
  });
});
