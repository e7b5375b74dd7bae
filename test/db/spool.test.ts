import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteSpool } from '../../src/db/spool.js';
import { WriteBuffer } from '../../src/db/write-buffer.js';
import { createLogger } from '../../src/observability/logger.js';

const logger = createLogger({ level: 'silent' });
const down = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

function spoolFiles(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe('the write spool', () => {
  it('has every acknowledged write on disk while the database is away, and is emptied once they are stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-spool-'));
    const spool = new WriteSpool(dir, logger);
    const buffer = new WriteBuffer({ logger, spool, initialRetryMs: 10, maxRetryMs: 20 });
    let up = false;
    const stored: unknown[] = [];
    buffer.register('question', async (data) => {
      if (!up) throw down();
      stored.push(data);
    });
    await Promise.all([1, 2, 3].map((n) => buffer.write('question', { n })));
    const lines = readFileSync(spool.path, 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { kind: 'question', data: { n: 1 } },
      { kind: 'question', data: { n: 2 } },
      { kind: 'question', data: { n: 3 } },
    ]);
    up = true;
    expect(await buffer.flush(2_000)).toBe(true);
    expect(stored).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(readFileSync(spool.path, 'utf8')).toBe('');
    await buffer.close();
    expect(spoolFiles(dir)).toEqual([]);
  });

  it('writes nothing to disk while the database answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-spool-'));
    const buffer = new WriteBuffer({ logger, spool: new WriteSpool(dir, logger) });
    buffer.register('question', async () => {});
    await buffer.write('question', { n: 1 });
    expect(spoolFiles(dir)).toEqual([]);
    await buffer.close();
  });

  it('replays, once, the writes a deskhand that died left behind, skipping a line a crash cut short', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-spool-'));
    const orphan = join(dir, `${deadPid()}-1700000000000-1.jsonl`);
    writeFileSync(
      orphan,
      `${JSON.stringify({ kind: 'question', data: { n: 1 } })}\n${JSON.stringify({ kind: 'question', data: { n: 2 } })}\n`,
    );
    appendFileSync(orphan, '{"kind":"question","da');
    const spool = new WriteSpool(dir, logger);
    const buffer = new WriteBuffer({ logger, spool, initialRetryMs: 10 });
    const stored: unknown[] = [];
    buffer.register('question', async (data) => {
      stored.push(data);
    });
    expect(await buffer.replay()).toBe(2);
    // The orphan's writes now live in this spool, so a second crash before they are stored loses nothing.
    expect(spoolFiles(dir)).toEqual([spool.path.slice(dir.length + 1)]);
    expect(await buffer.flush(2_000)).toBe(true);
    expect(stored).toEqual([{ n: 1 }, { n: 2 }]);

    const second = new WriteBuffer({ logger, spool: new WriteSpool(dir, logger) });
    second.register('question', async () => {});
    expect(await second.replay()).toBe(0);
    await buffer.close();
    await second.close();
  });

  it("leaves a running deskhand's spool alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-spool-'));
    const running = new WriteBuffer({ logger, spool: new WriteSpool(dir, logger), initialRetryMs: 60_000 });
    running.register('question', async () => {
      throw down();
    });
    await running.write('question', { n: 1 });
    const other = new WriteBuffer({ logger, spool: new WriteSpool(dir, logger) });
    other.register('question', async () => {});
    expect(await other.replay()).toBe(0);
    await running.close();
    await other.close();
    // What the running one could not store stays on disk for the next start.
    expect(spoolFiles(dir)).toHaveLength(1);
  });
});
