import type { AppConfig } from '../config/env.js';
import { startDeskhand } from '../main.js';

/** `deskhand start`: runs until SIGTERM or SIGINT, then shuts down within the grace period and exits 0. */
export async function runUntilSignalled(config: AppConfig): Promise<number> {
  const running = await startDeskhand(config);
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
