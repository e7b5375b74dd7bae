import { analyse } from '../analysis.js';
import { passagesOf } from '../ranking.js';
import type { KnowledgeHit, Reply, ReplyPart } from '../types.js';

/** Share of a written sentence's subject terms that must appear in the passages it cites. */
const SUPPORTED_SHARE = 0.6;

/**
 * Whether every sentence and step of a reply is supported by a passage it cites: quoted word for
 * word (an extractive reply), or, for a reply a model wrote, most of its subject terms found in
 * the cited passages. A part citing nothing, or a number no source was given for, is unsupported.
 */
export function isGrounded(reply: Reply, cited: readonly KnowledgeHit[]): boolean {
  return reply.parts.length > 0 && reply.parts.every((part) => partIsSupported(part, cited, reply.method));
}

export function partIsSupported(
  part: ReplyPart,
  cited: readonly KnowledgeHit[],
  method: Reply['method'],
): boolean {
  if (part.cites.length === 0) return false;
  const sources = part.cites.map((n) => cited[n - 1]);
  if (sources.some((hit) => hit === undefined)) return false;
  const texts = (sources as KnowledgeHit[]).flatMap((hit) =>
    passagesOf(hit).map((passage) => flat(`${passage.heading ?? ''}\n${passage.text}`)),
  );
  if (method === 'extractive') {
    const quoted = flat(part.text).replace(/[.]$/, '');
    return texts.some((text) => text.includes(quoted));
  }
  const terms = [...new Set(analyse(part.text))];
  if (terms.length === 0) return true;
  const vocabulary = new Set(
    texts.flatMap((text) => analyse(text)).concat(...sources.map((hit) => analyse(hit?.title ?? ''))),
  );
  const supported = terms.filter((term) => vocabulary.has(term)).length;
  return supported / terms.length >= SUPPORTED_SHARE;
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}
