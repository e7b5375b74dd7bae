import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleMcp } from '../scripts/bundle-mcp.js';
import { call, stdioClient } from './harness/mcp-client.js';
import { NOT_FOR_MCP_SERVERS } from './harness/mcp-server-modules.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Inside the project, as dist/ is, so what the bundle requires at run time is found in node_modules.
const BUNDLE = join(ROOT, 'node_modules', '.cache', 'deskhand-test', 'mcp.bundle.js');

describe('the bundled `deskhand mcp` entry (dist/mcp.bundle.js, built by npm run build)', () => {
  beforeAll(async () => {
    await bundleMcp(BUNDLE);
  }, 60_000);

  it('serves the kb over stdio: tools, a search with the articles’ front matter read', async () => {
    const client = await stdioClient('kb', { KNOWLEDGE_DIR: 'knowledge' }, process.execPath, [
      BUNDLE,
      'mcp',
      'kb',
    ]);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('search_pages');
      const answer = await call(client, 'search_pages', { query: 'reset my password', limit: 2 });
      expect(answer.isError).toBeFalsy();
      const { results } = answer.structuredContent as { results: Array<{ path: string; url: string }> };
      expect(results[0]?.path).toBe('reset-password.md');
      expect(results[0]?.url).toMatch(/^https:/); // from the article's front matter (yaml, loaded at run time)
    } finally {
      await client.close();
    }
  }, 60_000);

  it('holds the MCP servers and nothing of Slack, the database or the playground', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    expect(text).toContain('src/servers/kb/');
    for (const heavy of NOT_FOR_MCP_SERVERS) {
      expect(text.includes(heavy), heavy).toBe(false);
    }
  });

  it('answers an unknown server with the usage and exit code 2', async () => {
    const run = promisify(execFile)(process.execPath, [BUNDLE, 'mcp', 'nope'], { cwd: ROOT });
    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/usage: deskhand mcp/),
    });
  });
});
