import type { App, BlockButtonAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { alertTakeCallback } from './alert-take.js';
import { answerCreateTicketCallback } from './answer-create-ticket.js';
import { answerNotHelpfulCallback } from './answer-not-helpful.js';
import { answerSolvedCallback } from './answer-solved.js';

export const ACTIONS = ['answer_solved', 'answer_not_helpful', 'answer_create_ticket', 'alert_take'] as const;

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>('answer_solved', answerSolvedCallback(deps));
  app.action<BlockButtonAction>('answer_not_helpful', answerNotHelpfulCallback(deps));
  app.action<BlockButtonAction>('answer_create_ticket', answerCreateTicketCallback(deps));
  app.action<BlockButtonAction>('alert_take', alertTakeCallback(deps));
}
