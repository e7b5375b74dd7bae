import type { WebClient } from '@slack/web-api';
import { ExpiringLookups } from './expiring-lookups.js';

/** How long a person's email (or its absence) is trusted before Slack is asked again. */
const TTL_MS = 10 * 60_000;
/** How long a failed lookup (not a member, no `users:read.email`, Slack away) is kept before asking again. */
const FAILED_TTL_MS = 60_000;
const emails = new ExpiringLookups<string | undefined>(5000);

/**
 * The person's email from their Slack profile (needs users:read.email), if Slack shares it. Kept
 * for a few minutes per workspace (its client's token), so a busy asker's every question does not
 * cost a users.info call; questions arriving together share one call, and a failure is kept for a
 * minute so that a missing scope does not cost a failing call per ticket.
 */
export function emailOf(client: WebClient, userId: string): Promise<string | undefined> {
  if (!/^[UW][A-Z0-9]{2,}$/.test(userId)) return Promise.resolve(undefined);
  return emails.get(`${client.token ?? ''}:${userId}`, () =>
    client.users.info({ user: userId }).then(
      ({ user }) => ({ value: user?.profile?.email || undefined, keepMs: TTL_MS }),
      () => ({ value: undefined, keepMs: FAILED_TTL_MS }),
    ),
  );
}
