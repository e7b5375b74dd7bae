import { sql } from 'drizzle-orm';
import type { DeliveryLedger } from '../../support/ports.js';
import type { Db } from '../client.js';
import { slackEvents } from '../schema/index.js';

/** Remembers Slack delivery keys in `slack_events`; the primary key makes the first claim win across replicas. */
export class DrizzleDeliveryLedger implements DeliveryLedger {
  // Every request runs this: built once, not once per request.
  private readonly claimStatement;

  constructor(db: Db) {
    this.claimStatement = db
      .insert(slackEvents)
      .values({
        key: sql.placeholder('key'),
        kind: sql.placeholder('kind'),
        retryNum: sql.placeholder('retryNum'),
      })
      .onConflictDoNothing({ target: slackEvents.key })
      .returning({ key: slackEvents.key })
      .prepare('claim_slack_delivery');
  }

  async claim(key: string, kind: string, retryNum: number): Promise<boolean> {
    const inserted = await this.claimStatement.execute({ key, kind, retryNum });
    return inserted.length > 0;
  }
}
