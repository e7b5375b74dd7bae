import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorResult, jsonResult } from '../shared/rest.js';
import { askForAgent, EMPTY_QUESTION, isAnswer } from './agent-question.js';
import { answerResult, answerResultSchema } from './answer-result.js';
import type { DeskhandToolDeps } from './deps.js';

/** `ask { question }`: the answer a person gets from /support in Slack. */
export function registerAsk(server: McpServer, deps: DeskhandToolDeps): void {
  server.registerTool(
    'ask',
    {
      title: 'Ask the support knowledge',
      description:
        "Answers a support question the way deskhand does in Slack: searches the team's knowledge base, " +
        'Notion and past HelpScout conversations at once and returns the best passages with their links ' +
        '(and a written reply with [n] citations when deskhand writes one). `found: false` means nothing ' +
        'good was found; offer create_ticket then. Never files a ticket by itself.',
      inputSchema: {
        question: z.string().describe('The question in plain words, e.g. "How do I reset my password?"'),
      },
      outputSchema: answerResultSchema,
      annotations: { readOnlyHint: false, openWorldHint: true },
    },
    async ({ question }): Promise<CallToolResult> => {
      const text = question.trim();
      if (!text) return errorResult(EMPTY_QUESTION);
      const outcome = await askForAgent(deps, text);
      if (!isAnswer(outcome)) return outcome;
      return jsonResult(answerResult(outcome));
    },
  );
}
