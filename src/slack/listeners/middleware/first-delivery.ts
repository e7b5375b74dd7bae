import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { deliveryKey } from '../../delivery-key.js';
import type { SlackDeps } from '../../deps.js';

declare module '@slack/bolt' {
  interface Context {
    /** Resolves true for the first delivery of this request, false for a retry already handled. */
    firstDelivery?: Promise<boolean>;
  }
}

/**
 * Claims each delivery in `slack_events` so a retried request is answered once, across replicas.
 * The claim starts here but is not awaited for commands and interactions: their ack must not wait
 * for the database. Listeners await `context.firstDelivery` after acking. Events are acked by Bolt
 * before middleware runs, so a duplicate event stops here.
 */
export function firstDeliveryMiddleware(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next, logger }) => {
    const delivery = deliveryKey(body as Record<string, unknown>);
    if (!delivery) {
      context.firstDelivery = Promise.resolve(true);
      await next();
      return;
    }
    const retryNum = typeof context.retryNum === 'number' ? context.retryNum : 0;
    context.firstDelivery = deps.deliveries
      .claim(delivery.key, delivery.kind, retryNum)
      .catch((error: unknown) => {
        // Without the ledger the request is still answered: a rare duplicate beats a lost question.
        logger.warn(`could not record delivery ${delivery.key}: ${(error as Error).message}`);
        return true;
      });
    if (delivery.kind === 'event' && !(await context.firstDelivery)) {
      logger.info(`ignoring retried delivery ${delivery.key} (retry ${retryNum})`);
      return;
    }
    await next();
  };
}

/** For listeners: whether to go on after acking (false for a retry that was already handled). */
export async function isFirstDelivery(context: { firstDelivery?: Promise<boolean> }): Promise<boolean> {
  return (await context.firstDelivery) ?? true;
}
