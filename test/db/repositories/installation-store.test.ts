import { randomBytes, randomUUID } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DrizzleInstallationStore,
  NotInstalledError,
} from '../../../src/db/repositories/installation-store.js';
import { DrizzleThreadQuestions } from '../../../src/db/repositories/thread-questions.js';
import { questions } from '../../../src/db/schema/index.js';
import { TokenCipher } from '../../../src/db/token-cipher.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';

const KEY = randomBytes(32);

function workspaceInstall(teamId: string, token: string, name = teamId): Installation {
  return {
    team: { id: teamId, name },
    enterprise: undefined,
    user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
    bot: { token, id: 'B0BOT', userId: 'U0BOT', scopes: ['commands', 'chat:write'] },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId: 'A0APP',
    authVersion: 'v2',
  };
}

function orgInstall(enterpriseId: string, token: string): Installation {
  return {
    team: undefined,
    enterprise: { id: enterpriseId, name: 'Grid Org' },
    enterpriseUrl: 'https://grid.enterprise.slack.com/',
    user: { id: 'U0ADMIN', token: 'xoxp-org-user-token', scopes: ['admin'] },
    bot: { token, id: 'B0ORG', userId: 'U0ORGBOT', scopes: ['commands'] },
    tokenType: 'bot',
    isEnterpriseInstall: true,
    appId: 'A0APP',
    authVersion: 'v2',
  } as Installation;
}

describe('the installation store', () => {
  let database: TestDatabase;
  let store: DrizzleInstallationStore;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = new DrizzleInstallationStore(database.db, new TokenCipher(KEY));
  });
  beforeEach(async () => {
    await database.db.execute(sql`delete from slack_installations`);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('gives back what was stored, with the token decrypted, and keeps it encrypted in the row', async () => {
    await store.storeInstallation(workspaceInstall('T0ONE', 'xoxb-one-secret'));
    const found = await store.fetchInstallation({
      teamId: 'T0ONE',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(found.bot).toMatchObject({
      token: 'xoxb-one-secret',
      id: 'B0BOT',
      userId: 'U0BOT',
      scopes: ['commands', 'chat:write'],
    });
    expect(found.team).toEqual({ id: 'T0ONE', name: 'T0ONE' });
    const rows = await database.rows(sql`select * from slack_installations`);
    expect(JSON.stringify(rows)).not.toContain('xoxb-one-secret');
  });

  it('replaces a workspace’s installation when it installs again', async () => {
    await store.storeInstallation(workspaceInstall('T0ONE', 'xoxb-old'));
    await store.storeInstallation(workspaceInstall('T0ONE', 'xoxb-new', 'Renamed'));
    expect(await database.rows(sql`select team_name from slack_installations`)).toEqual([
      { team_name: 'Renamed' },
    ]);
    expect(await store.botTokenFor('T0ONE')).toBe('xoxb-new');
  });

  it('keys an org-wide install by its enterprise, and lends its token to the org’s workspaces', async () => {
    await store.storeInstallation(orgInstall('E0GRID', 'xoxb-org-bot'));
    const found = await store.fetchInstallation({
      teamId: undefined,
      enterpriseId: 'E0GRID',
      isEnterpriseInstall: true,
    });
    expect(found.bot?.token).toBe('xoxb-org-bot');
    expect(found.user.token).toBe('xoxp-org-user-token');
    expect(await database.rows(sql`select team_id, enterprise_id from slack_installations`)).toEqual([
      { team_id: null, enterprise_id: 'E0GRID' },
    ]);
    expect(await store.botTokenFor('T0INGRID', 'E0GRID')).toBe('xoxb-org-bot');
    expect(await store.botTokenFor('T0INGRID')).toBeUndefined();
    const rows = await database.rows(sql`select * from slack_installations`);
    expect(JSON.stringify(rows)).not.toMatch(/xoxb-org-bot|xoxp-org-user-token/);
  });

  it('says plainly when a workspace is not installed, and forgets one that is removed', async () => {
    await store.storeInstallation(workspaceInstall('T0ONE', 'xoxb-one'));
    await store.storeInstallation(workspaceInstall('T0TWO', 'xoxb-two'));
    expect(await store.remove({ teamId: 'T0ONE', isEnterpriseInstall: false })).toBe(true);
    await expect(
      store.fetchInstallation({ teamId: 'T0ONE', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toBeInstanceOf(NotInstalledError);
    expect(await store.botTokenFor('T0TWO')).toBe('xoxb-two');
    expect((await store.list()).map((workspace) => workspace.teamId)).toEqual(['T0TWO']);
  });

  it('cannot open a token with another key, or a token moved to another workspace’s row', async () => {
    await store.storeInstallation(workspaceInstall('T0ONE', 'xoxb-one'));
    await store.storeInstallation(workspaceInstall('T0TWO', 'xoxb-two'));
    const otherKey = new DrizzleInstallationStore(database.db, new TokenCipher(randomBytes(32)));
    await expect(otherKey.botTokenFor('T0ONE')).rejects.toThrow(/DESKHAND_ENCRYPTION_KEY/);
    await database.db.execute(sql`update slack_installations set bot_token_encrypted =
      (select bot_token_encrypted from slack_installations where team_id = 'T0ONE') where team_id = 'T0TWO'`);
    await expect(store.botTokenFor('T0TWO')).rejects.toThrow(/could not be decrypted/);
  });
});

describe('thread follow-ups', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('find the thread’s first question only in the asking workspace (channel ids and ts repeat across them)', async () => {
    const base = {
      entryPoint: 'mention',
      askerId: 'U0ASKER',
      channelId: 'C0GENERAL',
      threadTs: '1700000000.000100',
    };
    const acme = randomUUID();
    await database.db.insert(questions).values([
      { ...base, id: randomUUID(), teamId: 'T0MAIN', text: 'main workspace question' },
      { ...base, id: acme, teamId: 'T0ACME', text: 'acme question' },
    ]);
    const threads = new DrizzleThreadQuestions(database.db);
    expect(await threads.findThreadStart('C0GENERAL', '1700000000.000100', 'T0ACME')).toEqual({
      id: acme,
      text: 'acme question',
    });
    expect(await threads.findThreadStart('C0GENERAL', '1700000000.000100', 'T0OTHER')).toBeUndefined();
  });
});
