import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { type Digest, type Period, parsePeriod } from '../../digest/index.js';
import { errorResult, jsonResult } from '../shared/rest.js';
import type { DeskhandToolDeps } from './deps.js';

const figures = z
  .looseObject({ questions: z.number(), byEntryPoint: z.record(z.string(), z.number()) })
  .describe('Questions, deflection, tickets, answer times and alerts of one period');

const digestResultSchema = {
  period: z.object({ label: z.string(), from: z.string(), to: z.string() }),
  current: figures,
  previous: figures.describe('The period of the same length just before, for the changes'),
  gaps: z
    .array(
      z.object({
        count: z.number(),
        example: z.string().optional().describe('One way it was asked; absent when it was asked privately'),
        askedPrivately: z.boolean(),
      }),
    )
    .describe('Questions nobody could answer, near-duplicates grouped, most frequent first'),
  sources: z.array(z.looseObject({ source: z.string(), calls: z.number(), errorRate: z.number() })),
  channels: z
    .array(z.looseObject({ channelId: z.string(), requests: z.number() }))
    .describe('Per support channel: requests, answered by the bot alone, first human response, SLA breaches'),
};

/** `support_digest { since? }`: the digest's figures, with nothing that was asked privately. */
export function registerSupportDigest(server: McpServer, deps: DeskhandToolDeps): void {
  server.registerTool(
    'support_digest',
    {
      title: 'Support digest',
      description:
        'How support went over a period: questions by way in and category, how many the knowledge ' +
        'answered (deflection), tickets, answer times, alerts, the knowledge gaps (questions nobody could ' +
        'answer) and how each source performed. Text asked in private channels, DMs or by agents is never shown.',
      inputSchema: {
        since: z
          .string()
          .optional()
          .describe('How far back: 24h, 7d, 30d or 2w (default 7d, at most a year)'),
      },
      outputSchema: digestResultSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ since }): Promise<CallToolResult> => {
      let period: Period;
      try {
        period = parsePeriod(since ?? '7d', deps.now?.() ?? new Date());
      } catch (error) {
        return errorResult((error as Error).message);
      }
      try {
        return jsonResult(digestResult(await deps.digest(period)));
      } catch (error) {
        deps.logger.error({ err: (error as Error).message }, 'the MCP digest could not be built');
        return errorResult(
          'The digest could not be read just now (deskhand could not reach its database); try again in a minute.',
          true,
        );
      }
    },
  );
}

function digestResult(digest: Digest): Record<string, unknown> {
  const { period } = digest;
  // JSON round trip: dates become ISO strings and absent figures are left out, as the text block shows them.
  return JSON.parse(
    JSON.stringify({
      ...digest,
      period: { label: period.label, from: period.from.toISOString(), to: period.to.toISOString() },
    }),
  ) as Record<string, unknown>;
}
