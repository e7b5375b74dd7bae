import type { KnowledgeHit, Passage } from '../../support/types.js';
import { asString, type Profile, resultJson } from './types.js';

const SEARCH_TOOLS = ['search_pages', 'search_conversations'];

/** deskhand's own servers (kb, notion, helpscout): `search_pages`, `search_conversations`, `create_conversation`. */
export const deskhandProfile: Profile = {
  searchTool: (tools) => SEARCH_TOOLS.find((name) => tools.some((tool) => tool.name === name)),
  // Pages come with their text (by section, from the kb) so that a reply can quote them.
  searchArgs: (tool, query, limit) =>
    tool === 'search_pages' ? { query, limit, include_content: true } : { query, limit },
  parseSearch(_tool, result, service) {
    const json = resultJson(result) as { results?: unknown } | undefined;
    const results = Array.isArray(json?.results) ? (json.results as Record<string, unknown>[]) : [];
    return results.map(
      (item, rank): KnowledgeHit => ({
        source: service,
        title: asString(item.title) ?? asString(item.subject) ?? '(untitled)',
        snippet: asString(item.snippet) ?? asString(item.preview) ?? '',
        url: asString(item.url),
        path: asString(item.path) ?? asString(item.id),
        score: typeof item.score === 'number' ? item.score : 1 / (1 + rank),
        passages: passagesOf(item),
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

/**
 * The text a result carries for a reply: the kb's and Notion's `sections`, a HelpScout
 * conversation's resolving `reply`, else its `content` split at markdown headings.
 */
function passagesOf(item: Record<string, unknown>): Passage[] | undefined {
  if (Array.isArray(item.sections)) {
    const sections = (item.sections as unknown[]).flatMap((section): Passage[] => {
      const value = section as Record<string, unknown> | null;
      const text = asString(value?.text)?.trim();
      const heading = asString(value?.heading);
      return text ? [{ text, ...(heading ? { heading } : {}) }] : [];
    });
    if (sections.length) return sections;
  }
  const reply = asString(item.reply)?.trim();
  if (reply) return [{ heading: asString(item.subject) ?? asString(item.title), text: reply }];
  const content = asString(item.content)?.trim();
  if (!content) return undefined;
  const passages: Passage[] = [];
  let current: Passage = { text: '' };
  for (const line of content.split(/\r?\n/)) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      if (current.text.trim()) passages.push({ ...current, text: current.text.trim() });
      current = { heading: heading[1], text: '' };
    } else {
      current.text += `${line}\n`;
    }
  }
  if (current.text.trim()) passages.push({ ...current, text: current.text.trim() });
  return passages.length ? passages : undefined;
}
