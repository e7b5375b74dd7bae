import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';

/** Registers every request's processing with the work tracker, so a shutdown waits for answers in flight. */
export function trackWorkMiddleware(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ next }) => {
    await deps.work.track(next());
  };
}
