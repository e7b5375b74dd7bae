import type { SlackDeps } from '../../deps.js';
import { answerFeedbackCallback } from './answer-feedback.js';

/** The "Solved" button on an answer card. */
export const answerSolvedCallback = (deps: SlackDeps) => answerFeedbackCallback(deps, 'solved');
