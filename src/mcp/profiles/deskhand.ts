import type { KnowledgeHit } from '../../support/types.js';
import { asString, type Profile, resultJson } from './types.js';

const SEARCH_TOOLS = ['search_pages', 'search_conversations'];

/** deskhand's own servers (kb, notion, helpscout): `search_pages`, `search_conversations`, `create_conversation`. */
export const deskhandProfile: Profile = {
  searchTool: (tools) => SEARCH_TOOLS.find((name) => tools.some((tool) => tool.name === name)),
  searchArgs: (_tool, query, limit) => ({ query, limit }),
  parseSearch(_tool, result, service) {
    const json = resultJson(result) as { results?: unknown } | undefined;
    const results = Array.isArray(json?.results) ? (json.results as Record<string, unknown>[]) : [];
    return results.map(
      (item, rank): KnowledgeHit => ({
        source: service,
        title: asString(item.title) ?? asString(item.subject) ?? '(untitled)',
        snippet: asString(item.snippet) ?? asString(item.preview) ?? '',
        url: asString(item.url),
        score: typeof item.score === 'number' ? item.score : 1 / (1 + rank),
      }),
    );
  },
  ticketTool: (tools) =>
    tools.some((tool) => tool.name === 'create_conversation') ? 'create_conversation' : undefined,
  ticketArgs: (request) => ({
    customer_id: request.customerEmail ?? 'unknown@invalid.example',
    subject: request.subject,
    message: request.message,
    priority: request.priority,
    type: request.type,
    idempotency_key: request.idempotencyKey,
  }),
  parseTicket(result) {
    const json = (resultJson(result) ?? {}) as Record<string, unknown>;
    const externalId = asString(json.id);
    if (!externalId) throw new Error('the ticket desk answered without a conversation id');
    return { externalId, number: asString(json.number), url: asString(json.url) };
  },
};
