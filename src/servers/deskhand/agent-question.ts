import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Answer } from '../../support/types.js';
import { errorResult } from '../shared/rest.js';
import type { DeskhandToolDeps } from './deps.js';

/** Said when a tool is given an empty question. */
export const EMPTY_QUESTION =
  'The question is empty: pass what the person wants to know, e.g. "How do I reset my password?".';

/**
 * Runs an agent's question through the same workflow as Slack (rate limit, every source, stored
 * with entry point `mcp`), or says in an isError result why it could not. Agents are not a Slack
 * channel: the question is stored with channel kind `unknown`, which every digest treats as private.
 */
export async function askForAgent(deps: DeskhandToolDeps, text: string): Promise<Answer | CallToolResult> {
  const question = deps.support.prepare({
    text,
    entryPoint: 'mcp',
    askerId: deps.askerId,
    channelKind: 'unknown',
  });
  const verdict = await deps.support.checkRateLimit(question);
  if (!verdict.allowed) {
    return errorResult(
      `Too many questions through this MCP token in the last minute; ask again in ${verdict.retryAfterSeconds} s.`,
      true,
      verdict.retryAfterSeconds,
    );
  }
  const asking = deps.support.ask(question);
  try {
    return await (deps.work ? deps.work.track(asking) : asking);
  } catch (error) {
    deps.logger.error({ err: (error as Error).message }, 'an MCP question could not be answered');
    return errorResult(
      'deskhand could not answer just now (its database or knowledge sources failed); try again in a minute.',
      true,
    );
  }
}

/** Whether `askForAgent` gave an answer rather than an error result. */
export function isAnswer(outcome: Answer | CallToolResult): outcome is Answer {
  return 'question' in outcome && 'hits' in outcome;
}
