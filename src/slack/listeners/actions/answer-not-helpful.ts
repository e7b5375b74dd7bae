import type { SlackDeps } from '../../deps.js';
import { answerFeedbackCallback } from './answer-feedback.js';

/** The "Not helpful" button on an answer card. */
export const answerNotHelpfulCallback = (deps: SlackDeps) => answerFeedbackCallback(deps, 'not_helpful');
