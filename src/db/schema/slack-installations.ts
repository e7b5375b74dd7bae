import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * One row per workspace deskhand is installed in through OAuth (or per Enterprise Grid org for an
 * org-wide install). Ids and names are plain text; every token is encrypted (AES-256-GCM with
 * DESKHAND_ENCRYPTION_KEY) and never stored in the clear.
 */
export const slackInstallations = pgTable(
  'slack_installations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The workspace; null for an org-wide install, which is keyed by its enterprise. */
    teamId: text('team_id'),
    teamName: text('team_name'),
    enterpriseId: text('enterprise_id'),
    enterpriseName: text('enterprise_name'),
    enterpriseUrl: text('enterprise_url'),
    isEnterpriseInstall: boolean('is_enterprise_install').notNull().default(false),
    appId: text('app_id'),
    botId: text('bot_id'),
    botUserId: text('bot_user_id'),
    /** Comma-separated, as Slack grants them. */
    botScopes: text('bot_scopes'),
    /** `v1:<iv>:<tag>:<ciphertext>`, base64url parts. */
    botTokenEncrypted: text('bot_token_encrypted'),
    /** Who installed deskhand. */
    userId: text('user_id'),
    userScopes: text('user_scopes'),
    userTokenEncrypted: text('user_token_encrypted'),
    tokenType: text('token_type'),
    installedAt: timestamp('installed_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    /** One installation per workspace, and one per org for an org-wide install (ids may be null, so coalesced). */
    uniqueIndex('slack_installations_key_idx').on(
      sql`coalesce(${table.enterpriseId}, '')`,
      sql`coalesce(${table.teamId}, '')`,
    ),
    index('slack_installations_team_idx').on(table.teamId),
  ],
);
