import type { WebClient } from '@slack/web-api';

/** How long a person's email (or its absence) is trusted before Slack is asked again. */
const TTL_MS = 10 * 60_000;
const CACHE_LIMIT = 5000;
const cache = new Map<string, { email: string | undefined; at: number }>();

/**
 * The person's email from their Slack profile (needs users:read.email), if Slack shares it. Kept
 * for a few minutes per workspace (its client's token), so a busy asker's every question does not
 * cost a users.info call; a failed call is not kept.
 */
export async function emailOf(client: WebClient, userId: string): Promise<string | undefined> {
  if (!/^[UW][A-Z0-9]{2,}$/.test(userId)) return undefined;
  const key = `${client.token ?? ''}:${userId}`;
  const cached = cache.get(key);
  if (cached && Date.now() - cached.at < TTL_MS) return cached.email;
  try {
    const { user } = await client.users.info({ user: userId });
    const email = user?.profile?.email || undefined;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, { email, at: Date.now() });
    return email;
  } catch {
    return undefined;
  }
}
