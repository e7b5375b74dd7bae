import type { DeliveryLedger } from '../../support/ports.js';
import type { Db } from '../client.js';
import { slackEvents } from '../schema/index.js';

/** Remembers Slack delivery keys in `slack_events`; the primary key makes the first claim win across replicas. */
export class DrizzleDeliveryLedger implements DeliveryLedger {
  constructor(private readonly db: Db) {}

  async claim(key: string, kind: string, retryNum: number): Promise<boolean> {
    const inserted = await this.db
      .insert(slackEvents)
      .values({ key, kind, retryNum })
      .onConflictDoNothing({ target: slackEvents.key })
      .returning({ key: slackEvents.key });
    return inserted.length > 0;
  }
}
