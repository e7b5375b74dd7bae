import type { WebClient } from '@slack/web-api';

/** How long a person's email (or its absence) is trusted before Slack is asked again. */
const TTL_MS = 10 * 60_000;
/** How long a failed lookup (not a member, no `users:read.email`, Slack away) is kept before asking again. */
const FAILED_TTL_MS = 60_000;
const CACHE_LIMIT = 5000;
const cache = new Map<string, { email: Promise<string | undefined>; until: number }>();

/**
 * The person's email from their Slack profile (needs users:read.email), if Slack shares it. Kept
 * for a few minutes per workspace (its client's token), so a busy asker's every question does not
 * cost a users.info call; questions arriving together share one call, and a failure is kept for a
 * minute so that a missing scope does not cost a failing call per ticket.
 */
export function emailOf(client: WebClient, userId: string): Promise<string | undefined> {
  if (!/^[UW][A-Z0-9]{2,}$/.test(userId)) return Promise.resolve(undefined);
  const key = `${client.token ?? ''}:${userId}`;
  const cached = cache.get(key);
  if (cached && Date.now() < cached.until) return cached.email;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const entry = { email: Promise.resolve<string | undefined>(undefined), until: Number.POSITIVE_INFINITY };
  entry.email = client.users.info({ user: userId }).then(
    ({ user }) => {
      entry.until = Date.now() + TTL_MS;
      return user?.profile?.email || undefined;
    },
    () => {
      entry.until = Date.now() + FAILED_TTL_MS;
      return undefined;
    },
  );
  cache.set(key, entry);
  return entry.email;
}
