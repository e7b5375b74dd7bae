import type { SlackDeps } from '../../deps.js';
import { reactionCallback } from './reaction-changed.js';

/** `reaction_added`: 👀 takes a request, ✅ resolves it. */
export const reactionAddedCallback = (deps: SlackDeps) => reactionCallback(deps, true);
