import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { REACTIONS } from '../../../support/requests/index.js';
import type { SlackDeps } from '../../deps.js';

type ReactionArgs =
  | (AllMiddlewareArgs & SlackEventMiddlewareArgs<'reaction_added'>)
  | (AllMiddlewareArgs & SlackEventMiddlewareArgs<'reaction_removed'>);

const TRACKED = new Set<string>(Object.values(REACTIONS));

/**
 * 👀 and ✅ on a request's root message or deskhand's reply: added, they take and resolve it;
 * removed by whoever put them there, they give it back. Other emoji and deskhand's own are ignored.
 */
export function reactionCallback(deps: SlackDeps, added: boolean) {
  return async ({ event, context, body }: ReactionArgs): Promise<void> => {
    if (!deps.requests || event.item.type !== 'message') return;
    const name = event.reaction.split('::')[0] ?? '';
    if (!TRACKED.has(name) || event.user === context.botUserId) return;
    await deps.requests.reaction({
      teamId: context.teamId ?? body.team_id ?? '',
      channelId: event.item.channel,
      ts: event.item.ts,
      userId: event.user,
      name,
      added,
    });
  };
}
