import { z } from 'zod';
import type { Answer } from '../../support/types.js';

/** The written reply with numbered citations, as `deskhand ask --json` prints it. */
const replySchema = z.looseObject({
  text: z.string(),
  method: z.enum(['extractive', 'llm']),
  citations: z.array(
    z.looseObject({ n: z.number(), title: z.string(), url: z.string().nullish(), source: z.string() }),
  ),
});

/** The `ask` tool's structured result, as its output schema declares it. */
export const answerResultSchema = {
  question_id: z.string().describe('The stored question; tickets filed for it refer to it'),
  question: z.string().describe('The question as stored (cut when it was too long)'),
  truncated: z.boolean(),
  found: z.boolean().describe('Whether a good answer was found; if not, consider create_ticket'),
  urgency: z.enum(['low', 'normal', 'high']),
  category: z.string(),
  reply: replySchema
    .optional()
    .describe('The written answer with [n] citations into sources, when deskhand writes one'),
  sources: z
    .array(
      z.object({
        n: z.number().describe('Its number, as [n] in the reply'),
        title: z.string(),
        url: z.string().optional(),
        snippet: z.string(),
        source: z.string().describe('Where it was found, e.g. "Knowledge base", "Notion", "HelpScout"'),
        service: z.string().describe('The MCP service that found it'),
        relevance: z.number().describe('0..1, comparable across sources'),
      }),
    )
    .describe('The best passages found, best first'),
  lookups: z
    .array(
      z.object({
        source: z.string(),
        label: z.string(),
        status: z.enum(['ok', 'error', 'timeout', 'unavailable']),
        hits: z.number(),
        latency_ms: z.number(),
        error: z.string().optional(),
      }),
    )
    .describe('What each knowledge source did for this question'),
  took_ms: z.number(),
};

export type AnswerResult = z.infer<z.ZodObject<typeof answerResultSchema>>;

/** The answer as an agent receives it: the same reply, sources and lookups a person sees on the Slack card. */
export function answerResult(answer: Answer): AnswerResult {
  const { question, reply } = answer;
  const labels = new Map(answer.lookups.map((lookup) => [lookup.source, lookup.label]));
  return {
    question_id: question.id,
    question: question.text,
    truncated: question.truncated,
    found: answer.found,
    urgency: question.triage.urgency,
    category: question.triage.category,
    ...(reply
      ? {
          reply: {
            text: reply.text,
            method: reply.method,
            citations: reply.citations.map(({ n, title, url, source }) => ({
              n,
              title,
              ...(url ? { url } : {}),
              source,
            })),
          },
        }
      : {}),
    sources: answer.hits.map((hit, index) => ({
      n: index + 1,
      title: hit.title,
      ...(hit.url ? { url: hit.url } : {}),
      snippet: hit.snippet,
      source: labels.get(hit.source) ?? hit.source,
      service: hit.source,
      relevance: Math.round(hit.relevance * 1000) / 1000,
    })),
    lookups: answer.lookups.map((lookup) => ({
      source: lookup.source,
      label: lookup.label,
      status: lookup.status,
      hits: lookup.hits.length,
      latency_ms: lookup.latencyMs,
      ...(lookup.error ? { error: lookup.error } : {}),
    })),
    took_ms: answer.tookMs,
  };
}
