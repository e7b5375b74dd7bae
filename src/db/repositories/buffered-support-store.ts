import type { SupportStore } from '../../support/ports.js';
import type { Answer, FeedbackKind, Question } from '../../support/types.js';
import type { WriteBuffer } from '../write-buffer.js';

type CardLocation = { channelId?: string; ts?: string; responseUrl?: string };

/**
 * A SupportStore that keeps answering while the database is briefly away: writes go through the
 * write buffer (spooled, stored later, in order, once), reads fail as usual.
 */
export class BufferedSupportStore implements SupportStore {
  constructor(
    private readonly inner: SupportStore,
    private readonly buffer: WriteBuffer,
  ) {
    // Spooled writes come back as JSON: dates are strings again until revived here.
    buffer.register('question', (data) => inner.saveQuestion(reviveQuestion(data as Question)));
    buffer.register('answer', (data) => {
      const answer = data as Answer;
      return inner.saveAnswer({ ...answer, question: reviveQuestion(answer.question) });
    });
    buffer.register('failure', (data) => inner.markFailed((data as { questionId: string }).questionId));
    buffer.register('card', (data) => {
      const { questionId, location } = data as { questionId: string; location: CardLocation };
      return inner.saveCardLocation(questionId, location);
    });
  }

  saveQuestion(question: Question): Promise<void> {
    return this.buffer.write('question', question);
  }

  saveAnswer(answer: Answer): Promise<void> {
    return this.buffer.write('answer', answer);
  }

  markFailed(questionId: string): Promise<void> {
    return this.buffer.write('failure', { questionId });
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

  saveCardLocation(questionId: string, location: CardLocation): Promise<void> {
    return this.buffer.write('card', { questionId, location });
  }

  /** Not buffered: it answers whether the question may be asked. Fails while the database is away. */
  saveQuestionWithinLimit(
    question: Question,
    since: Date,
    limit: number,
  ): Promise<{ stored: boolean; count: number; oldest?: Date }> {
    return this.inner.saveQuestionWithinLimit(question, since, limit);
  }
}

function reviveQuestion(question: Question): Question {
  return { ...question, createdAt: new Date(question.createdAt) };
}
