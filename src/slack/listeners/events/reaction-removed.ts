import type { SlackDeps } from '../../deps.js';
import { reactionCallback } from './reaction-changed.js';

/** `reaction_removed`: the owner's 👀 taken back releases the request, the resolver's ✅ reopens it. */
export const reactionRemovedCallback = (deps: SlackDeps) => reactionCallback(deps, false);
