import type { AppConfig } from '../config/env.js';
import { openConfiguredDatabase } from '../db/client.js';
import { createLogger } from '../observability/logger.js';

/** `deskhand migrate`: applies pending migrations (under the advisory lock) and exits. */
export async function runMigrate(_args: string[], config: AppConfig): Promise<number> {
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
  const database = await openConfiguredDatabase(config, logger);
  try {
    await database.migrate();
    logger.info({ database: database.description }, 'migrations applied');
    return 0;
  } finally {
    await database.close();
  }
}
