import type { Logger } from 'pino';
import { mayLeaveWorkspace } from '../privacy.js';
import { RELATED_RELEVANCE } from '../ranking.js';
import type { RankedHit, Reply } from '../types.js';
import { extractiveReply } from './extractive.js';
import { numberPassages, parseModelReply, replyPrompt } from './llm-reply.js';
import type { ChatModel, LlmOutcome, ReplyAudit, ReplyAuditLog, ReplyContext } from './ports.js';

/** Near misses shown under "Might also help". */
export const RELATED_MAX = 2;

export interface ReplyWriterOptions {
  /** Writes the reply from the passages when set; the extractive reply stands in on any failure. */
  model?: ChatModel;
  /** How long the model may take before the extractive reply is shown. */
  deadlineMs?: number;
  /** Whether text asked in a private channel or a DM may be sent to the model. */
  privateOk?: boolean;
  audit?: ReplyAuditLog;
  /** How long reading an answer back waits for its reply's audit row (else it is read without the reply). */
  auditWaitMs?: number;
  logger?: Logger;
}

/** What the reply step produced for a card. */
export interface WrittenReply {
  reply?: Reply;
  /** The hits the reply cites, in the order of their `[n]`. */
  cited: RankedHit[];
  /** At most two near misses, shown apart from the cited sources. */
  related: RankedHit[];
  tookMs: number;
}

/**
 * Writes the reply at the top of a card from the ranked hits: extractive always (it is the
 * fallback), and with a model configured, the model's reply when it is held to the passages
 * and arrives within the deadline. Records an audit of each reply; never throws.
 */
export class ReplyWriter {
  /** Audit rows being written, by question. */
  private readonly pendingAudits = new Map<string, Promise<void>>();

  constructor(private readonly options: ReplyWriterOptions = {}) {}

  /** Waits for the audit rows still being written (before a short-lived process exits). */
  async flush(): Promise<void> {
    await Promise.all([...this.pendingAudits.values()]);
  }

  /** Stores the audit rows still pending, giving up those the database cannot take now (stopping). */
  async close(): Promise<void> {
    await this.options.audit?.close?.();
    await this.flush();
  }

  /** Waits until the audit of `questionId`'s reply, if one is being written, is stored. */
  async audited(questionId: string): Promise<void> {
    const pending = this.pendingAudits.get(questionId);
    if (!pending) return;
    // A write held up in the database must not hold up a click on the card: past the wait the
    // answer is read back without its reply text.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      pending,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.auditWaitMs ?? 2_000);
      }),
    ]);
    clearTimeout(timer);
  }

  get usesModel(): boolean {
    return this.options.model !== undefined;
  }

  async write(
    question: string,
    ranked: readonly RankedHit[],
    found: boolean,
    context: ReplyContext,
  ): Promise<WrittenReply> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    if (!found) {
      const related = ranked.filter((hit) => hit.relevance >= RELATED_RELEVANCE).slice(0, RELATED_MAX);
      this.record({
        ...baseAudit(context),
        method: 'none',
        passages: [],
        llmOutcome: this.usesModel ? 'not_found' : undefined,
        tookMs: elapsed(),
      });
      return { cited: [], related, tookMs: elapsed() };
    }
    const extractive = extractiveReply(question, ranked);
    let chosen = extractive;
    const audit: ReplyAudit = {
      ...baseAudit(context),
      method: extractive ? 'extractive' : 'none',
      passages: [],
      tookMs: 0,
    };
    const { model } = this.options;
    if (model) {
      const outcome = await this.askModel(model, question, ranked, context, audit);
      if (outcome) chosen = outcome;
    }
    if (!model && extractive) audit.passages = describePassages(extractive.cited);
    const cited = chosen?.cited ?? [];
    const related = ranked
      .filter((hit) => !cited.includes(hit) && hit.relevance >= RELATED_RELEVANCE)
      .slice(0, RELATED_MAX);
    audit.reply = chosen?.reply;
    audit.method = chosen?.reply.method ?? 'none';
    audit.tookMs = elapsed();
    this.record(audit);
    return { reply: chosen?.reply, cited, related, tookMs: elapsed() };
  }

  /** The model's reply when usable; otherwise undefined, with the reason in the audit. */
  private async askModel(
    model: ChatModel,
    question: string,
    ranked: readonly RankedHit[],
    context: ReplyContext,
    audit: ReplyAudit,
  ): Promise<{ reply: Reply; cited: RankedHit[] } | undefined> {
    const passages = numberPassages(ranked);
    audit.model = model.model;
    audit.passages = passages.map(({ hit: _hit, ...passage }) => passage);
    if (!mayLeaveWorkspace(context, this.options.privateOk ?? false)) {
      audit.llmOutcome = 'private';
      return undefined;
    }
    if (passages.length === 0) {
      audit.llmOutcome = 'not_found';
      return undefined;
    }
    const prompt = replyPrompt(question, passages);
    audit.prompt = prompt;
    const deadlineMs = this.options.deadlineMs ?? 6000;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), deadlineMs);
    });
    try {
      const text = await Promise.race([model.complete(prompt, { signal: controller.signal }), deadline]);
      if (text === 'deadline') {
        controller.abort(new Error(`no reply within ${deadlineMs} ms`));
        return this.fallBack(audit, 'deadline', `no reply within ${deadlineMs} ms`);
      }
      audit.modelText = text;
      const parsed = parseModelReply(text, passages);
      if (!parsed.ok) return this.fallBack(audit, parsed.outcome, parsed.detail);
      audit.llmOutcome = 'used';
      return { reply: parsed.reply, cited: parsed.cited };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const outcome: LlmOutcome = (error as { kind?: string }).kind === 'malformed' ? 'malformed' : 'error';
      return this.fallBack(audit, outcome, message);
    } finally {
      clearTimeout(timer);
    }
  }

  private fallBack(audit: ReplyAudit, outcome: LlmOutcome, detail: string): undefined {
    audit.llmOutcome = outcome;
    audit.error = detail;
    this.options.logger?.warn(
      { questionId: audit.questionId, outcome, detail },
      'the model reply was not used; showing the extractive reply',
    );
    return undefined;
  }

  private record(audit: ReplyAudit): void {
    const log = this.options.audit;
    if (!log) return;
    const pending = log
      .record(audit)
      .catch((error: unknown) => {
        this.options.logger?.warn(
          { questionId: audit.questionId, err: (error as Error).message },
          'could not store the reply audit',
        );
      })
      .finally(() => {
        if (this.pendingAudits.get(audit.questionId) === pending) this.pendingAudits.delete(audit.questionId);
      });
    this.pendingAudits.set(audit.questionId, pending);
  }
}

function baseAudit(context: ReplyContext): Pick<ReplyAudit, 'questionId' | 'teamId'> {
  return { questionId: context.questionId, ...(context.teamId ? { teamId: context.teamId } : {}) };
}

function describePassages(hits: readonly RankedHit[]): ReplyAudit['passages'] {
  return numberPassages(hits).map(({ hit: _hit, ...passage }) => passage);
}
