import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

export interface KnownIds {
  commands: ReadonlySet<string>;
  actions: ReadonlySet<string>;
  views: ReadonlySet<string>;
  shortcuts: ReadonlySet<string>;
}

/**
 * Acknowledges and logs requests no listener handles (an action id from an old card, a command
 * renamed in the manifest), so Slack shows no error and nothing waits for a timeout.
 */
export function unknownRequestsMiddleware(known: KnownIds): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const unknown = describeUnknown(args.body as Record<string, unknown>, known);
    if (unknown && 'ack' in args && typeof args.ack === 'function') {
      args.logger.warn(`acknowledged ${unknown}: no listener handles it`);
      await args.ack();
      return;
    }
    await args.next();
  };
}

function describeUnknown(body: Record<string, unknown>, known: KnownIds): string | undefined {
  if (typeof body.command === 'string') {
    return known.commands.has(body.command) ? undefined : `unknown command ${body.command}`;
  }
  if (body.type === 'block_actions' && Array.isArray(body.actions)) {
    const ids = body.actions.map((action: { action_id?: string }) => action.action_id ?? '');
    return ids.every((id) => known.actions.has(id)) ? undefined : `unknown action ${ids.join(', ')}`;
  }
  if (body.type === 'view_submission' || body.type === 'view_closed') {
    const view = body.view as { callback_id?: string } | undefined;
    return known.views.has(view?.callback_id ?? '') ? undefined : `unknown view ${view?.callback_id}`;
  }
  if (body.type === 'message_action' || body.type === 'shortcut') {
    const id = String(body.callback_id ?? '');
    return known.shortcuts.has(id) ? undefined : `unknown shortcut ${id}`;
  }
  return undefined;
}
