import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';
import { firstDeliveryMiddleware } from './middleware/first-delivery.js';
import { trackWorkMiddleware } from './middleware/track-work.js';
import { unknownRequestsMiddleware } from './middleware/unknown-requests.js';
import * as shortcuts from './shortcuts/index.js';
import * as views from './views/index.js';

/** Every id deskhand registers, by kind: also what manifest.yml must declare. */
export const REGISTERED = {
  commands: commands.COMMANDS,
  actions: actions.ACTIONS,
  views: views.VIEWS,
  shortcuts: shortcuts.SHORTCUTS,
  events: events.EVENTS,
};

/** Wires every listener, after the middleware that applies to all of them. */
export function registerListeners(app: App, deps: SlackDeps): void {
  app.use(trackWorkMiddleware(deps));
  app.use(
    unknownRequestsMiddleware({
      commands: new Set(REGISTERED.commands),
      actions: new Set(REGISTERED.actions),
      views: new Set(REGISTERED.views),
      shortcuts: new Set(REGISTERED.shortcuts),
    }),
  );
  app.use(firstDeliveryMiddleware(deps));
  commands.register(app, deps);
  actions.register(app, deps);
  views.register(app, deps);
  shortcuts.register(app, deps);
  events.register(app, deps);
}
