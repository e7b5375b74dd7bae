import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpRegistry } from '../../../src/mcp/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetricsRegistry } from '../../../src/observability/metrics.js';
import { FAKE_NOTION_TOKEN, FakeNotion } from '../../harness/fake-notion.js';
import { call, stdioClient } from '../../harness/mcp-client.js';

const OFFICIAL = resolve('node_modules/@notionhq/notion-mcp-server/bin/cli.mjs');

describe.skipIf(!existsSync(OFFICIAL))(
  'the official Notion MCP server (@notionhq/notion-mcp-server) as a knowledge source',
  () => {
    const notion = new FakeNotion();
    let client: Client;
    beforeAll(async () => {
      await notion.start();
      client = await stdioClient(
        'notion-official',
        { NOTION_TOKEN: FAKE_NOTION_TOKEN, BASE_URL: notion.url },
        process.execPath,
        [OFFICIAL],
      );
    }, 30_000);
    afterAll(async () => {
      await client?.close();
      await notion.close();
    });

    it('lists the REST-mirroring tools deskhand uses', async () => {
      const { tools } = await client.listTools();
      const names = tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['API-post-search', 'API-get-block-children']));
    });

    it('answers API-post-search against the fake Notion with Notion JSON in a text block', async () => {
      const answer = await call(client, 'API-post-search', {
        query: 'password',
        filter: { property: 'object', value: 'page' },
      });
      expect(answer.isError).toBeFalsy();
      expect(JSON.parse(answer.text).results[0].properties.Name.title[0].plain_text).toBe(
        'Password reset runbook',
      );
    });

    it('is a knowledge source through the notion-official profile', async () => {
      const registry = new McpRegistry({
        services: [
          {
            name: 'notion',
            transport: 'stdio',
            command: process.execPath,
            args: [OFFICIAL],
            env: { NOTION_TOKEN: FAKE_NOTION_TOKEN, BASE_URL: notion.url },
            headers: {},
            timeout_ms: 10_000,
            connect_timeout_ms: 20_000,
            retry_attempts: 1,
            max_concurrency: 4,
            profile: 'notion-official',
            enabled: true,
          },
        ],
        logger: createLogger({ level: 'silent' }),
        metrics: createMetricsRegistry(),
      });
      await registry.connectAll();
      const [source] = registry.knowledgeSources();
      const hits = await source!.search('password reset', { limit: 3, signal: AbortSignal.timeout(10_000) });
      await registry.close();
      expect(hits[0]).toMatchObject({
        source: 'notion',
        title: 'Password reset runbook',
        url: expect.stringContaining('notion.so'),
      });
    });
  },
);
