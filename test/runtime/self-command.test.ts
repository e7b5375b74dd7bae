import { describe, expect, it } from 'vitest';
import { resolveOwnServer, selfCommand } from '../../src/runtime/self-command.js';
import { call, stdioClient } from '../harness/mcp-client.js';

describe('deskhand’s own MCP servers are spawned directly', () => {
  it('runs the CLI with this node, from the sources under the tests (tsx) and never through npx', () => {
    const { command, args } = selfCommand(['mcp', 'kb']);
    expect(command).toBe(process.execPath);
    expect(args.slice(-3)).toEqual([expect.stringMatching(/src\/cli\.ts$/), 'mcp', 'kb']);
    expect(args).toContain('--import');
    expect(args[args.indexOf('--import') + 1]).toMatch(/^file:.*tsx/);
  });

  it('reads `command: deskhand` and the older `npx deskhand …` as the direct form', () => {
    const direct = selfCommand(['mcp', 'helpscout']);
    expect(resolveOwnServer('deskhand', ['mcp', 'helpscout'])).toEqual(direct);
    expect(resolveOwnServer('npx', ['deskhand', 'mcp', 'helpscout'])).toEqual(direct);
    expect(resolveOwnServer('npx', ['-y', 'deskhand', 'mcp', 'helpscout'])).toEqual(direct);
  });

  it('leaves third-party servers as written', () => {
    expect(resolveOwnServer('npx', ['-y', '@notionhq/notion-mcp-server'])).toEqual({
      command: 'npx',
      args: ['-y', '@notionhq/notion-mcp-server'],
    });
    expect(resolveOwnServer('uvx', ['mcp-server-fetch'])).toEqual({
      command: 'uvx',
      args: ['mcp-server-fetch'],
    });
  });

  it('the kb server spawned that way answers a search', async () => {
    const { command, args } = selfCommand(['mcp', 'kb']);
    const client = await stdioClient('kb', { KNOWLEDGE_DIR: 'knowledge' }, command, args);
    try {
      const answer = await call(client, 'search_pages', { query: 'password', limit: 2 });
      expect(answer.isError).toBeFalsy();
      expect(answer.text).toMatch(/password/i);
    } finally {
      await client.close();
    }
  }, 60_000);
});
