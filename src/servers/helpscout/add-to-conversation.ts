import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorResult, jsonResult, resultForError } from '../shared/rest.js';
import type { HelpscoutClient, ThreadCustomer } from './helpscout-client.js';

/** HelpScout keeps thread text up to this size; longer text is refused before it is sent. */
const THREAD_TEXT_MAX = 50_000;

/**
 * `add_to_conversation { id, text, as: customer | note }`: adds the text to a conversation as a
 * reply from its customer (which reopens it) or as an internal note agents alone see.
 */
export function registerAddToConversation(server: McpServer, helpscout: HelpscoutClient): void {
  server.registerTool(
    'add_to_conversation',
    {
      title: 'Add to a HelpScout conversation',
      description:
        "Adds text to an existing conversation, as the customer's reply (reopens it) or as an internal note.",
      inputSchema: {
        id: z.union([z.string(), z.number()]).describe('The conversation id'),
        text: z.string().describe('What to add (plain text)'),
        as: z.enum(['customer', 'note']).describe("customer: the customer's reply; note: agents only"),
      },
      annotations: { openWorldHint: true },
    },
    async ({ id, text, as }): Promise<CallToolResult> => {
      const conversationId = Number(id);
      if (!Number.isInteger(conversationId) || conversationId <= 0)
        return errorResult(`"${id}" is not a HelpScout conversation id`);
      const body = text.trim();
      if (!body) return errorResult('The text is empty: there is nothing to add.');
      if (body.length > THREAD_TEXT_MAX)
        return errorResult(
          `The text is ${body.length} characters; HelpScout takes up to ${THREAD_TEXT_MAX}.`,
        );
      try {
        let threadId: number;
        if (as === 'note') {
          threadId = await helpscout.addThread(conversationId, { kind: 'note', text: body });
        } else {
          // A customer thread names its customer: the conversation's own.
          const conversation = await helpscout.getConversation(conversationId);
          const customer: ThreadCustomer | undefined = conversation.primaryCustomer?.id
            ? { id: conversation.primaryCustomer.id }
            : conversation.primaryCustomer?.email
              ? { email: conversation.primaryCustomer.email }
              : undefined;
          if (!customer)
            return errorResult(
              `Conversation ${conversationId} has no customer to reply as; add the text as a note instead.`,
            );
          threadId = await helpscout.addThread(conversationId, { kind: 'customer', customer, text: body });
        }
        return jsonResult({ id: String(conversationId), thread_id: String(threadId), as });
      } catch (error) {
        return resultForError(error, 'HelpScout');
      }
    },
  );
}
