import { Gauge } from 'prom-client';
import type { McpServiceConfig } from '../config/mcp-services.js';
import { BufferedSupportStore } from '../db/repositories/buffered-support-store.js';
import { DrizzleSupportStore } from '../db/repositories/support-store.js';
import { ToolCallLog } from '../db/repositories/tool-call-log.js';
import { McpRegistry } from '../mcp/index.js';
import { timerLoopLagProbe } from '../observability/loop-lag.js';
import { loopTurnSlices } from '../observability/loop-slices.js';
import { SupportService } from '../support/support-service.js';
import type { Triager } from '../support/triage.js';
import { buildReplyWriter } from './replies.js';
import { buildReranker } from './reranker.js';
import type { Root } from './root.js';
import type { Storage } from './storage.js';

/**
 * Start waits until every MCP service has connected or failed once, but no longer than this; a
 * slower one becomes a knowledge source or the ticket desk when it connects.
 */
const MCP_START_WAIT_MS = 10_000;

export interface KnowledgeParts {
  storage: Storage;
  services: McpServiceConfig[];
  triager: Triager;
}

export interface Knowledge {
  registry: McpRegistry;
  support: SupportService;
  /** Closes the MCP connections, then the log of their tool calls. */
  close(): Promise<void>;
}

/**
 * The MCP services, connected (or on their way), and the support service that asks them. Waits
 * `waitMs` at most for the services to connect, MCP_START_WAIT_MS by default.
 */
export async function buildKnowledge(root: Root, parts: KnowledgeParts, waitMs?: number): Promise<Knowledge> {
  const { config, logger } = root;
  const { database, writeBuffer } = parts.storage;
  const toolCallLog = new ToolCallLog(database.db, logger);
  const registry = new McpRegistry({
    services: parts.services,
    logger,
    metrics: root.metrics,
    recordToolCall: (call) => toolCallLog.record(call),
  });
  // Services slower than this join as soon as their tools are known: roles are looked up per use.
  await registry.connectAll({ waitMs: waitMs ?? MCP_START_WAIT_MS });

  const replies = buildReplyWriter(config, database.db, logger);
  const support = new SupportService({
    sources: () => registry.knowledgeSources(),
    store: new BufferedSupportStore(new DrizzleSupportStore(database.db), writeBuffer),
    logger,
    triager: parts.triager,
    lookupDeadlineMs: config.lookupDeadlineMs,
    questionMaxChars: config.questionMaxChars,
    questionsPerMinute: config.questionsPerMinute,
    maxConcurrentAnswers: config.maxConcurrentAnswers,
    loopLag: timerLoopLagProbe(),
    slices: loopTurnSlices(),
    replies,
    reranker: buildReranker(config, database.db, logger),
  });
  watchAnswerTurns(support, root);
  return {
    registry,
    support,
    async close() {
      await registry.close();
      await Promise.all([toolCallLog.close(), replies.close()]);
    },
  };
}

/** The questions being answered and waiting for a turn, on /metrics: a queue that grows means more load than the process answers. */
function watchAnswerTurns(support: SupportService, root: Root): void {
  const gauges = {
    answering: {
      help: 'Questions being looked up and answered now (at most MAX_CONCURRENT_ANSWERS).',
      read: () => support.load.answering,
    },
    waiting: {
      help: 'Questions stored and waiting for a turn to be answered.',
      read: () => support.load.waiting,
    },
    turn_limit: {
      help: 'How many questions may be answered at once now: MAX_CONCURRENT_ANSWERS, less while the event loop runs late.',
      read: () => support.turnLimit,
    },
  };
  for (const [which, { help, read }] of Object.entries(gauges)) {
    new Gauge({
      name: `deskhand_questions_${which}`,
      help,
      registers: [root.metrics],
      collect() {
        this.set(read());
      },
    });
  }
}
