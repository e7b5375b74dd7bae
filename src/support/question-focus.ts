import { analyse } from './analysis.js';
import { BoundedCache } from './bounded-cache.js';

/**
 * Which part of a question asks. People wrap what they ask in context ("we deleted our workspace
 * by accident yesterday!! can it be restored", "employee lost their 2fa device, as an admin can i
 * reset it for them", "is there a high contrast mode? the grey text is really hard for me to
 * read"): the clause that asks names what the answer must be about, the others say why it is
 * asked. Read from punctuation and word order only, with no list of the knowledge's words, so it
 * holds for any source.
 */

/** One clause of a question: its text and whether it asks (a question mark, or a question's word order). */
export interface Clause {
  text: string;
  asking: boolean;
}

/** What the clauses that ask name, when a question has clauses that ask and clauses that do not. */
export interface QuestionFocus {
  /** The subject terms of the clauses that ask (as `analyse` reads them). */
  asking: ReadonlySet<string>;
  /**
   * A clause that asks points back at the context with a pronoun ("can i undo that", "how should we
   * handle them"): its subject is in the context, so what it names alone does not say what is asked.
   */
  pointsBack: boolean;
}

/**
 * Where one clause ends: a sentence end (not the dot inside "make.com" or "10.0.0.5"), a colon or a
 * dash between words, a comma, or "but".
 */
const CLAUSE_BREAK = /([.?!;]+)(?=\s|$)|:\s|\s[-–—]+\s|,\s*|\s+but\s+/gi;

/** A clause that opens like a question, after any discourse words ("ok so how do i…", "and is there…"). */
const QUESTION_OPENING =
  /^(?:(?:ok|okay|so|and|also|then|but|hi|hey|well|um|like)\b[\s,]*)*(?:how|what|what's|whats|why|where|when|which|who|whose|is|are|was|were|am|can|could|do|does|did|should|shall|will|would|has|have|may|might|any)\b/i;

/** A question's word order inside a clause: "as an admin can i reset it", "… is there a way". */
const INVERSION =
  /\b(?:can|could|do|does|did|should|will|would|is|are|may)\s+(?:i|we|you|they|it|there|he|she|someone|anyone|our|my|the|this|that)\b/i;

/** A pronoun that points back at the context ("can i undo that", "how do i reset it"). */
const POINTS_BACK = /\b(?:it|that|this|them|those|these|they|one)\b/i;

/** The clauses of a question, in order. */
export function clausesOf(question: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  const close = (end: number, mark: string) => {
    const text = question.slice(start, end).trim();
    if (!text) return;
    clauses.push({ text, asking: mark.includes('?') || QUESTION_OPENING.test(text) || INVERSION.test(text) });
  };
  for (const match of question.matchAll(CLAUSE_BREAK)) {
    close(match.index, match[1] ?? '');
    start = match.index + match[0].length;
  }
  close(question.length, '');
  return clauses;
}

/**
 * The focus of a question: the subject terms of its clauses that ask. Undefined when every clause
 * asks, or none does, or the clauses that ask name no subject ("…, how?"): then the whole question
 * is what is asked.
 */
export function questionFocus(question: string): QuestionFocus | undefined {
  return focusCache.get(question, () => readFocus(question));
}

/** The ranking, the found decision and the reply each ask for the same question's focus. */
const focusCache = new BoundedCache<QuestionFocus | undefined>(1_000);

function readFocus(question: string): QuestionFocus | undefined {
  const clauses = clausesOf(question);
  const asking = clauses.filter((clause) => clause.asking);
  if (asking.length === 0 || asking.length === clauses.length) return undefined;
  const terms = new Set(asking.flatMap((clause) => analyse(clause.text)));
  if (terms.size === 0) return undefined;
  return { asking: terms, pointsBack: asking.some((clause) => POINTS_BACK.test(clause.text)) };
}
