import type { AppConfig } from '../config/env.js';
import { openConfiguredDatabase } from '../db/client.js';
import { createLogger } from '../observability/logger.js';

/** `deskhand start`: runs until SIGTERM or SIGINT, then shuts down within the grace period and exits 0. */
export async function runUntilSignalled(config: AppConfig): Promise<number> {
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
  // The embedded PostgreSQL takes about as long to start as the bot's code takes to load: both at
  // once. A failure is reported where the start awaits it, not as an unhandled rejection meanwhile.
  const openingDatabase = openConfiguredDatabase(config, logger);
  openingDatabase.catch(() => {});
  const { startDeskhand } = await import('../main.js');
  let running: Awaited<ReturnType<typeof startDeskhand>>;
  try {
    running = await startDeskhand(config, { logger, openingDatabase });
  } catch (error) {
    // A start that fails (a bad services file, a refused token) leaves no embedded server behind.
    await openingDatabase.then((database) => database.close()).catch(() => {});
    throw error;
  }
  return new Promise<number>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        running.logger.warn(`${signal} again: exiting now`);
        process.exit(1);
      }
      signalled = true;
      running.logger.info(`${signal} received`);
      const hardStop = setTimeout(() => {
        running.logger.error('shutdown took longer than the grace period; exiting');
        process.exit(1);
      }, config.shutdownGraceMs + 5_000);
      hardStop.unref();
      running.stop().then(
        () => resolve(0),
        (error: unknown) => {
          running.logger.error({ err: error }, 'error while shutting down');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
