import { parseArgs } from 'node:util';
import { buildReplyWriter } from '../compose/replies.js';
import { buildReranker } from '../compose/reranker.js';
import { resolveServices } from '../compose/services.js';
import type { AppConfig } from '../config/env.js';
import { openConfiguredDatabase } from '../db/client.js';
import { DrizzleSupportStore } from '../db/repositories/support-store.js';
import { ToolCallLog } from '../db/repositories/tool-call-log.js';
import { McpRegistry } from '../mcp/index.js';
import { createLogger } from '../observability/logger.js';
import { createMetricsRegistry } from '../observability/metrics.js';
import { cardAsText } from '../slack/blocks/card-as-text.js';
import { answerCard } from '../slack/blocks/index.js';
import { SupportService } from '../support/support-service.js';
import type { Answer } from '../support/types.js';

/**
 * The answer as `--json` prints it (DESIGN.md §2): everything the workflow produced, `found`, and a
 * top-level `reply` of `{ text, method, citations: [{ n, title, url, source }] }`, null when
 * nothing was found.
 */
export function answerJson(answer: Answer): Record<string, unknown> {
  const { reply, ...rest } = answer;
  return {
    ...rest,
    reply: reply
      ? {
          text: reply.text,
          method: reply.method,
          citations: reply.citations.map((citation) => ({
            n: citation.n,
            title: citation.title,
            url: citation.url ?? null,
            source: citation.source,
          })),
          parts: reply.parts,
        }
      : null,
  };
}

/** `deskhand ask "<question>"`: the full workflow once, the answer card printed as text. */
export async function runAsk(args: string[], config: AppConfig): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, urgent: { type: 'boolean', default: false } },
  });
  const question = positionals.join(' ').trim();
  if (!question) {
    console.error('usage: deskhand ask "<question>" [--urgent] [--json]');
    return 2;
  }
  // The CLI's own chatter goes to stderr at warn level so stdout is only the answer.
  const logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    secrets: config.secrets,
    pretty: false,
    destination: process.stderr,
  });
  const database = await openConfiguredDatabase(config, logger);
  const toolCallLog = new ToolCallLog(database.db, logger);
  const registry = new McpRegistry({
    services: resolveServices(config, process.env),
    logger,
    metrics: createMetricsRegistry(),
    recordToolCall: (call) => toolCallLog.record(call),
  });
  try {
    await database.migrate();
    await registry.connectAll();
    const replies = buildReplyWriter(config, database.db, logger);
    const reranker = buildReranker(config, database.db, logger);
    const support = new SupportService({
      sources: registry.knowledgeSources(),
      store: new DrizzleSupportStore(database.db),
      logger,
      lookupDeadlineMs: config.lookupDeadlineMs,
      questionMaxChars: config.questionMaxChars,
      replies,
      reranker,
    });
    const answer = await support.ask({
      text: question,
      entryPoint: 'cli',
      askerId: 'cli',
      channelKind: 'im',
      markedUrgent: values.urgent,
    });
    await Promise.all([replies.close(), reranker?.flush()]);
    if (values.json) {
      console.log(JSON.stringify(answerJson(answer), null, 2));
    } else {
      console.log(
        cardAsText(answerCard(answer, { ticketsEnabled: registry.ticketDesk() !== undefined }).blocks),
      );
    }
    return 0;
  } finally {
    await registry.close();
    await toolCallLog.close();
    await database.close();
  }
}
