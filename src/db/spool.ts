import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';

/** A write kept for the database: what it is (`question`, `answer`, `alert`…) and its JSON data. */
export interface SpooledWrite {
  kind: string;
  data: unknown;
}

/** When this process started, to tell its own spool files from those of an earlier life with the same pid. */
const PROCESS_STARTED_MS = Math.round(Date.now() - process.uptime() * 1000);
let instances = 0;

/**
 * An append-only file of the writes waiting for the database, so that what was acknowledged
 * during an outage survives a crash. Appends are made durable in small batches (one fsync for
 * every write that arrived meanwhile); the file is emptied once everything in it is stored.
 *
 * Each process, and each deskhand within one, writes a file of its own
 * (`<pid>-<process start>-<n>.jsonl`): a file whose process is gone is an orphan, which the next
 * deskhand to start on the same folder takes over (by renaming it, so only one does) and replays.
 */
export class WriteSpool {
  readonly path: string;
  private handle: FileHandle | undefined;
  private batch: Array<{ line: string; done: () => void; failed: (error: Error) => void }> = [];
  private tail: Promise<void> = Promise.resolve();
  private appendedSinceClear = 0;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {
    mkdirSync(dir, { recursive: true });
    instances += 1;
    this.path = join(dir, `${process.pid}-${PROCESS_STARTED_MS}-${instances}.jsonl`);
  }

  /**
   * Takes over the writes of deskhands that are gone (a crash, SIGKILL, an earlier container with
   * the same pid): returns them in order and deletes their files once they are in this spool.
   */
  async recover(): Promise<SpooledWrite[]> {
    const recovered: SpooledWrite[] = [];
    const claimed: string[] = [];
    for (const name of readdirSync(this.dir).sort()) {
      const owner = /^(\d+)-(\d+)-\d+\.jsonl$/.exec(name);
      if (!owner || join(this.dir, name) === this.path) continue;
      if (isAlive(Number(owner[1]), Number(owner[2]))) continue;
      const claim = join(this.dir, `${name}.replaying-${process.pid}-${PROCESS_STARTED_MS}`);
      try {
        renameSync(join(this.dir, name), claim);
      } catch {
        continue; // another deskhand took it first
      }
      claimed.push(claim);
      recovered.push(...readSpoolFile(claim, this.logger));
    }
    // Claims of a deskhand that died while replaying are orphans too.
    for (const name of readdirSync(this.dir).sort()) {
      const replaying = /\.replaying-(\d+)-(\d+)$/.exec(name);
      const path = join(this.dir, name);
      if (!replaying || claimed.includes(path) || isAlive(Number(replaying[1]), Number(replaying[2])))
        continue;
      claimed.push(path);
      recovered.push(...readSpoolFile(path, this.logger));
    }
    if (recovered.length > 0) {
      await Promise.all(recovered.map((write) => this.append(write)));
      this.logger.warn(
        { writes: recovered.length, files: claimed.length },
        'replaying writes spooled by a deskhand that stopped before the database stored them',
      );
    }
    for (const path of claimed) rmSync(path, { force: true });
    return recovered;
  }

  /** Resolves once the write is on disk (fsync'd). */
  append(write: SpooledWrite): Promise<void> {
    const line = `${JSON.stringify({ kind: write.kind, data: write.data })}\n`;
    return new Promise((done, failed) => {
      this.batch.push({ line, done, failed });
      if (this.batch.length === 1) this.serially(() => this.flush());
    });
  }

  /** Forgets every write in the file: the database has stored them all. */
  clear(): Promise<void> {
    return this.serially(async () => {
      if (this.appendedSinceClear === 0) return;
      await this.handle?.truncate(0);
      this.appendedSinceClear = 0;
    });
  }

  async close(): Promise<void> {
    await this.serially(async () => {
      await this.handle?.close();
      this.handle = undefined;
      // A file with writes in it stays for the next start to replay.
      if (this.appendedSinceClear === 0) rmSync(this.path, { force: true });
    });
  }

  /** File operations one after another: a truncate must never land between a write and its fsync. */
  private serially(operation: () => Promise<void>): Promise<void> {
    const next = this.tail.then(operation);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async flush(): Promise<void> {
    // Let the writes of the same moment join this batch: one fsync for all of them.
    await new Promise((resolve) => setImmediate(resolve));
    const batch = this.batch;
    this.batch = [];
    try {
      this.handle ??= await open(this.path, 'a');
      await this.handle.write(batch.map((entry) => entry.line).join(''));
      await this.handle.datasync();
      this.appendedSinceClear += batch.length;
      for (const entry of batch) entry.done();
    } catch (error) {
      this.logger.error({ err: (error as Error).message, path: this.path }, 'could not spool writes to disk');
      for (const entry of batch) entry.failed(error as Error);
    }
  }
}

/** The writes in a spool file; a last line cut short by a crash is skipped (it was never acknowledged). */
function readSpoolFile(path: string, logger: Logger): SpooledWrite[] {
  const writes: SpooledWrite[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as Partial<SpooledWrite>;
      if (typeof parsed.kind === 'string') writes.push({ kind: parsed.kind, data: parsed.data });
    } catch {
      if (index < lines.length - 1)
        logger.error({ path, line: index + 1 }, 'skipped an unreadable line in a write spool');
    }
  }
  return writes;
}

/** Whether the deskhand that wrote a spool file still runs: its pid lives and, for our own pid, it is this process. */
function isAlive(pid: number, startedMs: number): boolean {
  if (pid === process.pid) return startedMs === PROCESS_STARTED_MS;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
