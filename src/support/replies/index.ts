export { extractiveReply, replyText } from './extractive.js';
export { isGrounded } from './grounding.js';
export { numberPassages, parseModelReply, replyPrompt } from './llm-reply.js';
export {
  type ChatMessage,
  type ChatModel,
  ChatModelError,
  type LlmOutcome,
  type ReplyAudit,
  type ReplyAuditLog,
  type ReplyContext,
} from './ports.js';
export { RELATED_MAX, ReplyWriter, type WrittenReply } from './reply-writer.js';
