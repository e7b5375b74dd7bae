import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { selfCommand } from '../../src/runtime/self-command.js';
import { NOT_FOR_MCP_SERVERS } from '../harness/mcp-server-modules.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RECORDER = fileURLToPath(new URL('../harness/record-imports.mjs', import.meta.url));
const KNOWLEDGE_DIR = join(ROOT, 'knowledge');

/** Runs `deskhand <args>` from the sources and returns every module it loaded, relative to the repository. */
async function modulesLoadedBy(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const record = join(mkdtempSync(join(tmpdir(), 'deskhand-imports-')), 'modules.txt');
  const { command, args: cli } = selfCommand(args);
  // selfCommand gives [node options, --import tsx, src/cli.ts, ...]: the recorder goes in front.
  const run = promisify(execFile)(command, ['--import', pathToFileURL(RECORDER).href, ...cli], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      KNOWLEDGE_DIR,
      RECORD_IMPORTS: record,
      ...env,
    },
    timeout: 60_000,
  });
  run.child.stdin?.end(); // a stdio MCP server stops when its input closes
  await run;
  const rootUrl = pathToFileURL(ROOT).href;
  return [...new Set(readFileSync(record, 'utf8').split('\n'))]
    .filter(Boolean)
    .map((url) => (url.startsWith(rootUrl) ? url.slice(rootUrl.length) : url));
}

/** A temporary folder the embedded database's `postgres` user can reach when the tests run as root. */
function reachableTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

const loads = (modules: string[], part: string) => modules.some((module) => module.includes(part));

describe('each command loads only what it needs', () => {
  it('`deskhand mcp kb` loads the kb server, and no Slack, database, playground or HTTP app code', async () => {
    const modules = await modulesLoadedBy(['mcp', 'kb']);
    expect(loads(modules, 'src/servers/kb/')).toBe(true);
    for (const heavy of NOT_FOR_MCP_SERVERS) {
      expect(loads(modules, heavy), heavy).toBe(false);
    }
  }, 60_000);

  it('`deskhand ask` answers without Bolt, the playground or deskhand’s HTTP server', async () => {
    const modules = await modulesLoadedBy(['ask', 'How do I reset my password?'], {
      DESKHAND_DATA_DIR: reachableTempDir('deskhand-ask-'),
    });
    expect(loads(modules, 'src/support/support-service.ts')).toBe(true);
    expect(loads(modules, 'src/db/client.ts')).toBe(true);
    for (const unwanted of ['node_modules/@slack/bolt/', 'src/playground/', 'src/http/', 'src/main.ts']) {
      expect(loads(modules, unwanted), unwanted).toBe(false);
    }
  }, 90_000);
});
