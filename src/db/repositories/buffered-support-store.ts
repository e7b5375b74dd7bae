import type { SupportStore } from '../../support/ports.js';
import type { Answer, FeedbackKind, Question } from '../../support/types.js';
import type { WriteBuffer } from '../write-buffer.js';

/**
 * A SupportStore that keeps answering while the database is briefly away: writes go through the
 * write buffer (stored later, in order, once), reads fail as usual.
 */
export class BufferedSupportStore implements SupportStore {
  constructor(
    private readonly inner: SupportStore,
    private readonly buffer: WriteBuffer,
  ) {}

  saveQuestion(question: Question): Promise<void> {
    return this.buffer.write(`question ${question.id}`, () => this.inner.saveQuestion(question));
  }

  saveAnswer(answer: Answer): Promise<void> {
    return this.buffer.write(`answer ${answer.question.id}`, () => this.inner.saveAnswer(answer));
  }

  markFailed(questionId: string): Promise<void> {
    return this.buffer.write(`failure ${questionId}`, () => this.inner.markFailed(questionId));
  }

  findQuestion(questionId: string): Promise<Question | undefined> {
    return this.inner.findQuestion(questionId);
  }

  findAnswer(questionId: string): Promise<Answer | undefined> {
    return this.inner.findAnswer(questionId);
  }

  async saveFeedback(questionId: string, userId: string, kind: FeedbackKind): Promise<boolean> {
    return this.inner.saveFeedback(questionId, userId, kind);
  }

  saveCardLocation(
    questionId: string,
    location: { channelId?: string; ts?: string; responseUrl?: string },
  ): Promise<void> {
    return this.buffer.write(`card ${questionId}`, () => this.inner.saveCardLocation(questionId, location));
  }

  countRecentQuestions(
    askerId: string,
    since: Date,
    teamId?: string,
  ): Promise<{ count: number; oldest?: Date }> {
    return this.inner.countRecentQuestions(askerId, since, teamId);
  }
}
