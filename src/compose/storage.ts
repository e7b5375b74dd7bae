import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { AppConfig } from '../config/env.js';
import { type Database, openConfiguredDatabase } from '../db/client.js';
import { migrateAtStart } from '../db/migrate-at-start.js';
import { WriteSpool } from '../db/spool.js';
import { WriteBuffer } from '../db/write-buffer.js';
import type { Root } from './root.js';

export interface Storage {
  database: Database;
  /** Rows written through a database outage, spooled to disk until it is back. */
  writeBuffer: WriteBuffer;
  /** Stops waiting for migrations, flushes the buffered writes it can, then `close()`. */
  stop(): Promise<void>;
  /** Closes the write buffer, and the database if it was opened here; nothing is flushed. */
  close(): Promise<void>;
}

/**
 * The database, the write buffer with its spool, and the migrations run at start. `opened` is an
 * already opened database (tests), left open by `stop()`; otherwise it is the one `opening`
 * resolves to, or one opened here from the config.
 */
export async function buildStorage(
  root: Root,
  opened?: Database,
  opening?: Promise<Database>,
): Promise<Storage> {
  const { config, logger, readiness } = root;
  const database = opened ?? (await (opening ?? openConfiguredDatabase(config, logger)));
  const ownsDatabase = !opened;
  // Questions keep being answered through a database outage; their rows are spooled to disk and
  // written once it is back, even after a crash in between.
  const writeBuffer = new WriteBuffer({ logger, spool: new WriteSpool(spoolDir(config, database), logger) });
  const migrations = await migrateAtStart(database, { logger, writeBuffer, readiness });

  const close = async () => {
    await writeBuffer.close();
    if (ownsDatabase) await database.close();
  };
  return {
    database,
    writeBuffer,
    async stop() {
      migrations.stop();
      if (!(await writeBuffer.flush(2_000)))
        logger.error(
          `${writeBuffer.pending} writes could not reach the database before exit; they stay in the spool for the next start`,
        );
      await close();
    },
    close,
  };
}

/**
 * Where this database's spooled writes live: one folder per database, so writes kept for one
 * are never replayed into another that shares the data folder.
 */
function spoolDir(config: AppConfig, database: Database): string {
  const id = createHash('sha256').update(database.description).digest('hex').slice(0, 16);
  return resolve(config.dataDir, 'spool', id);
}
