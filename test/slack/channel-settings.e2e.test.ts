import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleChannelSettingsStore } from '../../src/db/repositories/channel-settings-store.js';
import type { RecordedCall } from '../../src/playground/emulator/index.js';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';

const ADMIN = 'U0AGENT1';
const NOT_ADMIN = 'U0ASKER';
const HELP = 'C0HELP';
const ELSEWHERE = 'C0GENERAL';

type Block = { block_id: string; type: string; element?: Record<string, unknown> };
type View = { id: string; hash: string; blocks: Block[]; submit?: unknown };

describe('/support settings in a support channel', () => {
  let t: TestDeskhand;

  beforeAll(async () => {
    t = await startTestDeskhand({
      env: { SUPPORT_ADMINS: ADMIN, SUPPORT_CHANNELS: HELP, FIRST_RESPONSE_SLA_MINUTES: '45' },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Runs the command and returns the views.open call and the view once it was filled in. */
  async function openSettings(userId = ADMIN, channelId = HELP): Promise<{ open: RecordedCall; view: View }> {
    const before = t.slack.calls('views.open').length;
    const delivery = await t.driver.slashCommand({ userId, channelId, text: 'settings' });
    expect(delivery.status).toBe(200);
    const open = await t.slack.waitForCall('views.open', () => t.slack.calls('views.open').length > before);
    const opened = open.response.view as View;
    await t.slack.waitForCall('views.update', (call) => call.args.view_id === opened.id);
    return { open, view: t.slack.workspace.view(opened.id)?.view as unknown as View };
  }

  it('opens the modal with the trigger at once, then fills it with the defaults', async () => {
    const { open, view } = await openSettings();
    expect(open.response.ok).toBe(true);
    // The first view is opened before any database read: it is the loading view, not the form.
    expect(JSON.stringify(open.args.view)).toContain('Reading the settings');
    expect(view.submit).toBeDefined();
    const sla = view.blocks.find((block) => block.block_id === 'sla_minutes');
    expect(sla?.element?.initial_value).toBe('45');
    const behaviour = view.blocks.find((block) => block.block_id === 'behaviour');
    expect(JSON.stringify(behaviour?.element?.initial_options)).toContain('auto_answer');
  });

  it('shows an invalid SLA as an error in the modal and saves nothing', async () => {
    const { view } = await openSettings();
    for (const bad of ['0', 'abc', '2.5', '10081']) {
      const submitted = await t.driver.viewSubmission({
        userId: ADMIN,
        viewId: view.id,
        values: { sla_minutes_input: bad },
      });
      expect(submitted.outcome).toBe('errors');
      expect(submitted.errors?.sla_minutes).toMatch(/minutes/);
    }
    const store = new DrizzleChannelSettingsStore(t.database.db);
    expect(await store.find('T0DESKHAND', HELP)).toBeUndefined();
  });

  it('saves the settings with an audit row naming who changed what, and refills the form with them', async () => {
    const { view } = await openSettings();
    const submitted = await t.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: {
        sla_minutes_input: '15',
        behaviour_checkboxes: ['auto_answer', 'questions_only'],
        alert_channel_select: 'C0SUPPORT',
        responders_select: ['U0AGENT2'],
        responder_usergroup_input: '<!subteam^S0SUPPORT|@support>',
      },
    });
    expect(submitted.outcome).toBe('closed');
    const store = new DrizzleChannelSettingsStore(t.database.db);
    const saved = await store.find('T0DESKHAND', HELP);
    expect(saved).toMatchObject({
      slaMinutes: 15,
      questionsOnly: true,
      autoAnswer: true,
      alertChannel: 'C0SUPPORT',
      responderUserIds: ['U0AGENT2'],
      responderUsergroup: 'S0SUPPORT',
      updatedBy: ADMIN,
    });
    const audit = await store.audit('T0DESKHAND', HELP);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.changedBy).toBe(ADMIN);
    expect(audit[0]?.changes.slaMinutes).toEqual({ old: 45, new: 15 });
    expect(audit[0]?.changes.autoAnswer).toBeUndefined();
    const confirmation = await t.slack.waitForMessage(
      (message) => message.ephemeralTo === ADMIN && /first-response SLA/.test(message.text),
    );
    expect(confirmation.channel).toBe(HELP);

    expect(await t.deskhand.channelSettings.effective('T0DESKHAND', HELP)).toMatchObject({
      slaMinutes: 15,
      responders: ['U0AGENT2'],
      usergroup: 'S0SUPPORT',
      alertChannel: 'C0SUPPORT',
    });

    // The requests workflow reads the same settings through its ChannelSettingsSource port.
    expect(await t.deskhand.channelSettings.settingsFor(HELP)).toMatchObject({
      channelId: HELP,
      slaMinutes: 15,
      questionsOnly: true,
      responders: ['U0AGENT2'],
      usergroup: 'S0SUPPORT',
    });
    expect(await t.deskhand.channelSettings.settingsFor(ELSEWHERE)).toBeUndefined();

    const again = await openSettings();
    const sla = again.view.blocks.find((block) => block.block_id === 'sla_minutes');
    expect(sla?.element?.initial_value).toBe('15');
  });

  it('refuses anyone but an admin with a short note, and opens no modal', async () => {
    const before = t.slack.calls('views.open').length;
    const delivery = await t.driver.slashCommand({ userId: NOT_ADMIN, channelId: HELP, text: 'settings' });
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatch(/only the support admins/);
    expect(delivery.body).not.toMatch(/answer_solved|Looking up/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.slack.calls('views.open').length).toBe(before);
  });

  it('says so in the modal when the channel is not a support channel', async () => {
    const { view } = await openSettings(ADMIN, ELSEWHERE);
    expect(view.submit ?? undefined).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain('not a support channel');
  });
});
