import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorResult, jsonResult, resultForError } from '../shared/rest.js';
import { registerAddToConversation } from './add-to-conversation.js';
import { conversationTags, conversationUrl, type HelpscoutClient } from './helpscout-client.js';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const TYPES = ['email', 'chat', 'phone'] as const;
/** How many of the best conversations get their agent reply read. */
const REPLIES_FOR_TOP = 3;

/** deskhand's HelpScout MCP server: past conversations to search, and the ticket desk. */
export function createHelpscoutServer(helpscout: HelpscoutClient): McpServer {
  const server = new McpServer({ name: 'deskhand-helpscout', version: '0.1.0' });

  server.registerTool(
    'search_conversations',
    {
      title: 'Search past HelpScout conversations',
      description:
        'Finds past conversations in the mailbox that match a question; returns subject, preview, status, link and, for the best matches, the agent reply that answered it.',
      inputSchema: {
        query: z.string().describe('A question or keywords'),
        type: z.enum(TYPES).optional().describe('Only conversations of this type'),
        limit: z.number().int().min(1).max(25).optional().describe('How many (default 5)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ query, type, limit }): Promise<CallToolResult> => {
      if (!query.trim()) return errorResult('The query is empty: pass a question or keywords.');
      try {
        const conversations = await helpscout.searchConversations(query, limit ?? 5, type);
        // The agent's answer is what a reply can quote; a thread that cannot be read only loses that.
        const replies = await Promise.all(
          conversations.map((conversation, rank) =>
            rank < REPLIES_FOR_TOP
              ? helpscout.resolvingReply(conversation.id).catch(() => undefined)
              : Promise.resolve(undefined),
          ),
        );
        return jsonResult({
          results: conversations.map((conversation, rank) => ({
            id: conversation.id,
            number: conversation.number,
            subject: conversation.subject ?? '(no subject)',
            snippet: conversation.preview ?? '',
            url: conversationUrl(conversation),
            status: conversation.status ?? 'unknown',
            ...(conversation.primaryCustomer?.email
              ? { customer_email: conversation.primaryCustomer.email }
              : {}),
            score: Math.round((1 / (1 + rank)) * 1000) / 1000,
            ...(replies[rank] ? { reply: replies[rank] } : {}),
          })),
        });
      } catch (error) {
        return resultForError(error, 'HelpScout');
      }
    },
  );

  server.registerTool(
    'create_conversation',
    {
      title: 'Create a HelpScout conversation (ticket)',
      description:
        'Files a ticket in the mailbox as a new conversation from the customer; the priority becomes a tag.',
      inputSchema: {
        customer_id: z.string().describe("The customer's email address"),
        subject: z.string().min(1).max(255),
        message: z.string().min(1),
        priority: z.enum(PRIORITIES),
        type: z.enum(TYPES),
        idempotency_key: z
          .string()
          .max(200)
          .optional()
          .describe('The same key never files two conversations'),
      },
    },
    async ({ customer_id, subject, message, priority, type, idempotency_key }): Promise<CallToolResult> => {
      try {
        const keyTag = idempotency_key
          ? `dh-${idempotency_key.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase()}`.slice(0, 120)
          : undefined;
        // A retry after an ambiguous failure finds the conversation the first attempt created.
        const existing = keyTag ? await helpscout.findByTag(keyTag) : undefined;
        const id =
          existing?.id ??
          (await helpscout.createConversation({
            email: customer_id,
            subject,
            text: message,
            type,
            tags: ['deskhand', `priority-${priority}`, ...(keyTag ? [keyTag] : [])],
          }));
        const conversation = existing ?? (await helpscout.getConversation(id));
        return jsonResult({
          id: String(conversation.id),
          number: String(conversation.number),
          url: conversationUrl(conversation),
          status: conversation.status ?? 'active',
        });
      } catch (error) {
        return resultForError(error, 'HelpScout');
      }
    },
  );

  server.registerTool(
    'get_conversation',
    {
      title: 'Get a HelpScout conversation',
      description: 'Reads one conversation: subject, status, preview, tags and link.',
      inputSchema: { id: z.union([z.string(), z.number()]).describe('The conversation id') },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ id }): Promise<CallToolResult> => {
      const numeric = Number(id);
      if (!Number.isInteger(numeric) || numeric <= 0)
        return errorResult(`"${id}" is not a HelpScout conversation id`);
      try {
        const conversation = await helpscout.getConversation(numeric);
        return jsonResult({
          id: String(conversation.id),
          number: String(conversation.number),
          subject: conversation.subject ?? '',
          status: conversation.status ?? 'unknown',
          url: conversationUrl(conversation),
          preview: conversation.preview ?? '',
          tags: conversationTags(conversation),
          createdAt: conversation.createdAt ?? '',
        });
      } catch (error) {
        return resultForError(error, 'HelpScout');
      }
    },
  );
  registerAddToConversation(server, helpscout);
  return server;
}
