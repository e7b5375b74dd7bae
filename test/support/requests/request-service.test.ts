import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleRequestStore } from '../../../src/db/repositories/request-store.js';
import { DrizzleSupportStore } from '../../../src/db/repositories/support-store.js';
import { createLogger } from '../../../src/observability/logger.js';
import { HELP_CHANNEL_ID } from '../../../src/playground/emulator/index.js';
import { SlackGroupMembers } from '../../../src/slack/request-notifier.js';
import {
  type ChannelSettings,
  EnvChannelSettings,
  looksLikeQuestion,
  type RequestNotifier,
  RequestService,
  type SupportRequest,
} from '../../../src/support/requests/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { type FakeSlack, startFakeSlack } from '../../harness/fake-slack.js';

const logger = createLogger({ level: 'silent' });

/** Records what the service asks of Slack. */
class RecordingNotifier implements RequestNotifier {
  redrawn: SupportRequest[] = [];
  breaches: Array<{ request: SupportRequest; channel: string }> = [];
  failBreaches = 0;
  async statusChanged(request: SupportRequest): Promise<void> {
    this.redrawn.push(request);
  }
  async breached(request: SupportRequest, channel: string): Promise<{ ts?: string }> {
    if (this.failBreaches > 0) {
      this.failBreaches -= 1;
      throw new Error('ratelimited');
    }
    this.breaches.push({ request, channel });
    return { ts: '1.000001' };
  }
  async humanRequested(): Promise<void> {}
}

const settingsWith = (overrides: Partial<ChannelSettings>) => ({
  settingsFor: async (channelId: string): Promise<ChannelSettings | undefined> =>
    channelId === HELP_CHANNEL_ID
      ? { channelId, autoAnswer: true, slaMinutes: 30, responders: [], questionsOnly: false, ...overrides }
      : undefined,
});

let database: TestDatabase;
let slack: FakeSlack;
let ts = 1_780_000_000;
function nextTs(): string {
  ts += 1;
  return `${ts}.000100`;
}

beforeAll(async () => {
  database = await createTestDatabase();
  slack = await startFakeSlack();
  slack.workspace.addUsergroup({ id: 'S0SUPPORT', handle: 'support', users: ['U0GROUPIE'] });
});

afterAll(async () => {
  await slack.close();
  await database.drop();
});

function service(options: {
  settings?: Partial<ChannelSettings>;
  admins?: string[];
  notifier?: RequestNotifier;
}) {
  return new RequestService({
    store: new DrizzleRequestStore(database.db),
    settings: settingsWith(options.settings ?? {}),
    notifier: options.notifier,
    groups: new SlackGroupMembers(() => slack.client()),
    supportAdmins: options.admins ?? [],
    logger,
  });
}

const message = (text: string, userId = 'U0ASKER') => ({
  teamId: 'T1',
  channelId: HELP_CHANNEL_ID,
  ts: nextTs(),
  userId,
  channelKind: 'public' as const,
  text,
});

describe('who responds', () => {
  it('named responders and the user group’s members, not the admins', async () => {
    const requests = service({
      settings: { responders: ['U0NAMED'], usergroup: 'S0SUPPORT' },
      admins: ['U0ADMIN'],
    });
    const settings = (await requests.settingsFor(HELP_CHANNEL_ID)) as ChannelSettings;
    expect(await requests.isResponder(settings, 'U0NAMED')).toBe(true);
    expect(await requests.isResponder(settings, 'U0GROUPIE')).toBe(true);
    expect(await requests.isResponder(settings, 'U0ADMIN')).toBe(false);
  });

  it('with none configured, the support admins; with no admins either, anyone but the asker', async () => {
    const withAdmins = service({ admins: ['U0ADMIN'] });
    const settings = (await withAdmins.settingsFor(HELP_CHANNEL_ID)) as ChannelSettings;
    expect(await withAdmins.isResponder(settings, 'U0ADMIN')).toBe(true);
    expect(await withAdmins.isResponder(settings, 'U0OTHER')).toBe(false);
    expect(withAdmins.withEffectiveResponders(settings).responders).toEqual(['U0ADMIN']);
    const open = service({});
    expect(await open.isResponder(settings, 'U0OTHER', 'U0ASKER')).toBe(true);
    expect(await open.isResponder(settings, 'U0ASKER', 'U0ASKER')).toBe(false);
  });

  it('a user group Slack cannot read makes no one a responder through it', async () => {
    const requests = service({ settings: { usergroup: 'S0GONE' }, admins: ['U0ADMIN'] });
    const settings = (await requests.settingsFor(HELP_CHANNEL_ID)) as ChannelSettings;
    expect(await requests.isResponder(settings, 'U0GROUPIE')).toBe(false);
    expect(await requests.isResponder(settings, 'U0ADMIN')).toBe(false);
  });
});

describe('requests', () => {
  it('only support channels open requests; questions-only channels still track, but answer only questions', async () => {
    const requests = service({ settings: { questionsOnly: true } });
    expect(await requests.open({ ...message('hi'), channelId: 'C0ELSEWHERE' })).toEqual({
      kind: 'not_support_channel',
    });
    const statement = await requests.open(message('the printer is on fire'));
    expect(statement).toMatchObject({ kind: 'opened', answer: false });
    const question = message('why is the printer on fire?');
    expect(await requests.open(question)).toMatchObject({ kind: 'opened', answer: true });
    expect(await requests.open(question)).toMatchObject({ kind: 'duplicate' });
  });

  it('a take is refused once resolved, and a request is resolved once', async () => {
    const notifier = new RecordingNotifier();
    const requests = service({ admins: ['U0ADMIN'], notifier });
    const opened = await requests.open(message('can I get help?'));
    if (opened.kind !== 'opened') throw new Error('not opened');
    const id = opened.request.id;
    expect((await requests.resolve(id, 'U0OTHER', 'button', { askerOnly: true })).kind).toBe('not_allowed');
    expect((await requests.resolve(id, 'U0ASKER', 'button', { askerOnly: true })).kind).toBe('resolved');
    expect((await requests.resolve(id, 'U0OTHER', 'reaction')).kind).toBe('already_resolved');
    expect((await requests.take(id, 'U0ADMIN', 'button')).kind).toBe('resolved');
    expect(notifier.redrawn.map((r) => r.status)).toEqual(['resolved']);
  });

  it('a breach whose alert fails is released, then alerted once; no alert channel: stored, not posted', async () => {
    const notifier = new RecordingNotifier();
    const requests = service({ settings: { alertChannel: 'C0ALERTS', slaMinutes: 1 }, notifier });
    const opened = await requests.open(message('anyone there?'));
    if (opened.kind !== 'opened') throw new Error('not opened');
    const late = new RequestService({
      store: new DrizzleRequestStore(database.db),
      settings: settingsWith({ alertChannel: 'C0ALERTS', slaMinutes: 1 }),
      notifier,
      supportAdmins: [],
      logger,
      clock: { now: () => new Date(Date.now() + 2 * 60_000) },
    });
    notifier.failBreaches = 1;
    expect(await late.scanBreaches()).toBe(0);
    expect((await requests.findById(opened.request.id))?.breachedAt).toBeUndefined();
    expect(await late.scanBreaches()).toBeGreaterThanOrEqual(1);
    expect(await late.scanBreaches()).toBe(0);
    expect(notifier.breaches.filter((b) => b.request.id === opened.request.id)).toHaveLength(1);
    expect((await requests.findById(opened.request.id))?.alertTs).toBe('1.000001');
  });
});

describe('the card’s link to its question', () => {
  it('is stored with the reply in one statement; a question not stored yet leaves the reply alone', async () => {
    const requests = service({});
    const opened = await requests.open(message('where do I find my invoices?'));
    if (opened.kind !== 'opened') throw new Error('not opened');
    const question = {
      id: randomUUID(),
      text: 'where do I find my invoices?',
      truncated: false,
      fingerprint: 'find invoices',
      entryPoint: 'channel' as const,
      askerId: 'U0ASKER',
      teamId: 'T1',
      channelId: HELP_CHANNEL_ID,
      channelKind: 'public' as const,
      triage: { urgency: 'normal' as const, category: 'billing', matched: [] },
      createdAt: new Date(),
    };
    await new DrizzleSupportStore(database.db).saveQuestion(question);
    // A click on the card (or another replica) reading between two statements would find the
    // reply but not its question: refuse any update that stores one without the other.
    await database.db.execute(sql`
      create function reply_without_question() returns trigger language plpgsql as $$
      begin
        if new.reply_ts is not null and new.question_id is null and new.root_ts <> 'unlinked' then
          raise exception 'reply stored without its question';
        end if;
        return new;
      end $$`);
    await database.db.execute(sql`
      create trigger reply_without_question before update on requests
      for each row execute function reply_without_question()`);
    try {
      await requests.linkReply(opened.request.id, { replyTs: '1.000200', questionId: question.id });
      const linked = await requests.findById(opened.request.id);
      expect(linked).toMatchObject({ replyTs: '1.000200', questionId: question.id });

      // Still in the write buffer after an outage: the reply is kept, the question found later.
      const later = await requests.open({ ...message('and my receipts?'), ts: 'unlinked' });
      if (later.kind !== 'opened') throw new Error('not opened');
      await requests.linkReply(later.request.id, { replyTs: '1.000300', questionId: randomUUID() });
      expect(await requests.findById(later.request.id)).toMatchObject({ replyTs: '1.000300' });
      expect((await requests.findById(later.request.id))?.questionId).toBeUndefined();
    } finally {
      await database.db.execute(sql`drop trigger reply_without_question on requests`);
      await database.db.execute(sql`drop function reply_without_question()`);
    }
  });
});

describe('looksLikeQuestion', () => {
  it('reads questions and leaves thanks alone', () => {
    for (const text of ['how do I export?', 'Is SSO supported', 'anyone know the VPN address', 'broken?'])
      expect(looksLikeQuestion(text), text).toBe(true);
    for (const text of ['thanks!', 'ok', 'Thank you so much.', 'the deploy finished', 'works now'])
      expect(looksLikeQuestion(text), text).toBe(false);
  });
});

describe('EnvChannelSettings', () => {
  it('gives SUPPORT_CHANNELS the default SLA and alert channel, and nothing to other channels', async () => {
    const settings = new EnvChannelSettings({
      channels: ['C0HELP'],
      slaMinutes: 45,
      alertChannel: 'C0ALERTS',
    });
    expect(await settings.settingsFor('C0HELP')).toEqual({
      channelId: 'C0HELP',
      autoAnswer: true,
      slaMinutes: 45,
      alertChannel: 'C0ALERTS',
      responders: [],
      questionsOnly: false,
    });
    expect(await settings.settingsFor('C0GENERAL')).toBeUndefined();
  });
});
