import type { Logger } from 'pino';
import type { AppConfig } from '../config/env.js';
import type { Db } from '../db/client.js';
import { DrizzleReplyAuditLog } from '../db/repositories/reply-audit-store.js';
import { OpenAiChatModel } from '../llm/openai-chat-model.js';
import { ReplyWriter } from '../support/replies/index.js';

/** The reply step: extractive, or written by the configured OpenAI-compatible model; audited in `reply_audits`. */
export function buildReplyWriter(config: AppConfig, db: Db, logger: Logger): ReplyWriter {
  const { llm } = config;
  return new ReplyWriter({
    ...(llm
      ? {
          model: new OpenAiChatModel({ baseUrl: llm.baseUrl, model: llm.model, apiKey: llm.apiKey }),
          deadlineMs: llm.deadlineMs,
          privateOk: llm.privateOk,
        }
      : {}),
    audit: new DrizzleReplyAuditLog(db, logger),
    logger,
  });
}
