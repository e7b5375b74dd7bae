import type { Logger } from 'pino';
import type { Database } from './client.js';
import { isConnectionError, type WriteBuffer } from './write-buffer.js';

export interface MigrateAtStartOptions {
  logger: Logger;
  /** Held (writes kept, spooled) until the migrations are applied. */
  writeBuffer: WriteBuffer;
  /** Told what is not ready yet, for /readyz. */
  readiness: { migrations?: string };
  retryMs?: number;
}

/**
 * Applies the migrations; when the database cannot be reached yet, deskhand starts anyway —
 * answering, with every write kept in the spool — and keeps trying in the background, so a
 * restart during an outage (a crash, a deploy) neither loses what was spooled nor stops answering.
 * A database that does not exist, refuses the login or has a host that does not resolve is a
 * configuration error and fails the start, as before.
 */
export async function migrateAtStart(
  database: Database,
  options: MigrateAtStartOptions,
): Promise<{ stop(): void }> {
  try {
    await database.migrate();
    options.logger.info({ database: database.description }, 'database ready');
    return { stop() {} };
  } catch (error) {
    if (!isWorthWaitingFor(error)) throw error;
    options.logger.warn(
      { err: (error as Error).message, database: database.description },
      'the database cannot be reached: answering anyway, keeping writes on disk, and applying migrations once it is back',
    );
  }
  options.readiness.migrations = 'not applied yet: the database could not be reached at start';
  options.writeBuffer.hold();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const retry = async () => {
    try {
      await database.migrate();
      options.readiness.migrations = undefined;
      options.writeBuffer.release();
      options.logger.info('database reachable: migrations applied, storing the writes kept meanwhile');
    } catch (error) {
      if (!stopped) timer = setTimeout(retry, options.retryMs ?? 2_000);
      options.logger.debug({ err: (error as Error).message }, 'database still unreachable');
    }
  };
  timer = setTimeout(retry, options.retryMs ?? 2_000);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function isWorthWaitingFor(error: unknown): boolean {
  const code = String((error as { code?: string } | undefined)?.code ?? '');
  return isConnectionError(error) && !['ENOTFOUND', 'EAI_AGAIN'].includes(code);
}
