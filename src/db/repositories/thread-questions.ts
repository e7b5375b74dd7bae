import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { questions } from '../schema/index.js';

/** The first question asked in a Slack thread (a mention or a DM), for follow-ups in that thread. */
export class DrizzleThreadQuestions {
  constructor(private readonly db: Db) {}

  async findThreadStart(
    channelId: string,
    threadTs: string,
    teamId?: string,
  ): Promise<{ id: string; text: string } | undefined> {
    const [row] = await this.db
      .select({ id: questions.id, text: questions.text })
      .from(questions)
      .where(
        and(
          eq(questions.channelId, channelId),
          eq(questions.threadTs, threadTs),
          isNull(questions.parentQuestionId),
          teamId ? eq(questions.teamId, teamId) : undefined,
        ),
      )
      .orderBy(asc(questions.createdAt))
      .limit(1);
    return row;
  }
}
