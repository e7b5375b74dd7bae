import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { slackInstallations } from '../schema/index.js';
import type { TokenCipher } from '../token-cipher.js';

type InstallationRow = typeof slackInstallations.$inferSelect;

/** Which installation: a workspace by its team id, or an org-wide install by its enterprise id. */
export interface InstallationKey {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}

/** A workspace deskhand is installed in, as the scheduled digest needs it. */
export interface InstalledWorkspace {
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}

/** Raised when no installation matches: deskhand was never installed there, or was uninstalled. */
export class NotInstalledError extends Error {
  override readonly name = 'NotInstalledError';
  constructor(readonly key: InstallationKey) {
    super(
      key.isEnterpriseInstall
        ? `deskhand is not installed in enterprise ${key.enterpriseId}`
        : `deskhand is not installed in workspace ${key.teamId}`,
    );
  }
}

/**
 * Bolt's installation store on the `slack_installations` table: ids in the clear, bot and user
 * tokens encrypted. Org-wide installs are keyed by enterprise, others by team.
 */
export class DrizzleInstallationStore implements InstallationStore {
  constructor(
    private readonly db: Db,
    private readonly cipher: TokenCipher,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const key = keyOf(installation);
    const context = contextOf(key);
    const values = {
      teamId: key.isEnterpriseInstall ? null : (key.teamId ?? null),
      teamName: key.isEnterpriseInstall ? null : (installation.team?.name ?? null),
      enterpriseId: key.enterpriseId ?? null,
      enterpriseName: installation.enterprise?.name ?? null,
      enterpriseUrl: installation.enterpriseUrl ?? null,
      isEnterpriseInstall: key.isEnterpriseInstall,
      appId: installation.appId ?? null,
      botId: installation.bot?.id ?? null,
      botUserId: installation.bot?.userId ?? null,
      botScopes: installation.bot?.scopes.join(',') ?? null,
      botTokenEncrypted: installation.bot?.token
        ? this.cipher.encrypt(installation.bot.token, context)
        : null,
      userId: installation.user.id,
      userScopes: installation.user.scopes?.join(',') ?? null,
      userTokenEncrypted: installation.user.token
        ? this.cipher.encrypt(installation.user.token, context)
        : null,
      tokenType: installation.tokenType ?? null,
      updatedAt: new Date(),
    };
    // A reinstall (new scopes, a new token) replaces the row: update first, insert when there is none.
    await this.db.transaction(async (tx) => {
      const updated = await tx
        .update(slackInstallations)
        .set(values)
        .where(whereKey(key))
        .returning({ id: slackInstallations.id });
      if (updated.length === 0) await tx.insert(slackInstallations).values(values);
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = keyOfQuery(query);
    const [row] = await this.db.select().from(slackInstallations).where(whereKey(key)).limit(1);
    if (!row) throw new NotInstalledError(key);
    return this.toInstallation(row);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.remove(keyOfQuery(query));
  }

  /** Removes the installation; true when there was one. */
  async remove(key: InstallationKey): Promise<boolean> {
    const deleted = await this.db
      .delete(slackInstallations)
      .where(whereKey(key))
      .returning({ id: slackInstallations.id });
    return deleted.length > 0;
  }

  /**
   * The bot token for a workspace: its own installation, else its org's org-wide install; undefined
   * when deskhand is not installed there.
   */
  async botTokenFor(teamId: string, enterpriseId?: string): Promise<string | undefined> {
    const keys: InstallationKey[] = [{ teamId, enterpriseId, isEnterpriseInstall: false }];
    if (enterpriseId) keys.push({ enterpriseId, isEnterpriseInstall: true });
    for (const key of keys) {
      const [row] = await this.db.select().from(slackInstallations).where(whereKey(key)).limit(1);
      if (row?.botTokenEncrypted) return this.cipher.decrypt(row.botTokenEncrypted, contextOf(key));
    }
    return undefined;
  }

  /** Every installation, oldest first. */
  async list(): Promise<InstalledWorkspace[]> {
    const rows = await this.db.select().from(slackInstallations).orderBy(slackInstallations.id);
    return rows.map((row) => ({
      teamId: row.teamId ?? undefined,
      teamName: row.teamName ?? undefined,
      enterpriseId: row.enterpriseId ?? undefined,
      isEnterpriseInstall: row.isEnterpriseInstall,
    }));
  }

  private toInstallation(row: InstallationRow): Installation {
    const key: InstallationKey = {
      teamId: row.teamId ?? undefined,
      enterpriseId: row.enterpriseId ?? undefined,
      isEnterpriseInstall: row.isEnterpriseInstall,
    };
    const context = contextOf(key);
    const split = (scopes: string | null) => (scopes ? scopes.split(',') : undefined);
    return {
      team: row.teamId ? { id: row.teamId, name: row.teamName ?? undefined } : undefined,
      enterprise: row.enterpriseId
        ? { id: row.enterpriseId, name: row.enterpriseName ?? undefined }
        : undefined,
      enterpriseUrl: row.enterpriseUrl ?? undefined,
      isEnterpriseInstall: row.isEnterpriseInstall,
      appId: row.appId ?? undefined,
      tokenType: row.tokenType === 'bot' ? 'bot' : undefined,
      authVersion: 'v2',
      user: {
        id: row.userId ?? '',
        token: row.userTokenEncrypted ? this.cipher.decrypt(row.userTokenEncrypted, context) : undefined,
        scopes: split(row.userScopes),
      },
      bot:
        row.botTokenEncrypted && row.botId && row.botUserId
          ? {
              token: this.cipher.decrypt(row.botTokenEncrypted, context),
              id: row.botId,
              userId: row.botUserId,
              scopes: split(row.botScopes) ?? [],
            }
          : undefined,
    } as Installation;
  }
}

function keyOf(installation: Installation): InstallationKey {
  const isEnterpriseInstall = installation.isEnterpriseInstall === true;
  return {
    teamId: installation.team?.id,
    enterpriseId: installation.enterprise?.id,
    isEnterpriseInstall,
  };
}

function keyOfQuery(query: InstallationQuery<boolean>): InstallationKey {
  return {
    teamId: query.teamId,
    enterpriseId: query.enterpriseId,
    isEnterpriseInstall: query.isEnterpriseInstall === true && query.enterpriseId !== undefined,
  };
}

/** An org-wide install is its enterprise's row; a workspace install is its team's (team ids are unique). */
function whereKey(key: InstallationKey): SQL | undefined {
  if (key.isEnterpriseInstall) {
    return and(
      eq(slackInstallations.enterpriseId, key.enterpriseId ?? ''),
      isNull(slackInstallations.teamId),
      eq(slackInstallations.isEnterpriseInstall, true),
    );
  }
  return and(
    eq(slackInstallations.teamId, key.teamId ?? ''),
    eq(slackInstallations.isEnterpriseInstall, false),
  );
}

/** What a token is bound to: decrypting it under any other installation's key fails. */
function contextOf(key: InstallationKey): string {
  return key.isEnterpriseInstall ? `enterprise:${key.enterpriseId}` : `team:${key.teamId}`;
}
