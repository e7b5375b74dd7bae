import type { AppConfig } from '../config/env.js';
import { openConfiguredDatabase } from '../db/client.js';
import { runDigestCli } from '../digest/index.js';

/** `deskhand digest [--since 7d] [--json]`: the digest for a period, as a table or JSON. */
export async function runDigestCommand(args: string[], config: AppConfig): Promise<number> {
  const database = await openConfiguredDatabase(config);
  try {
    await database.migrate();
    return await runDigestCli(args, { database, stdout: process.stdout });
  } finally {
    await database.close();
  }
}
