import type { App, BlockButtonAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { alertTakeCallback } from './alert-take.js';
import { answerCreateTicketCallback } from './answer-create-ticket.js';
import { answerNotHelpfulCallback } from './answer-not-helpful.js';
import { answerSolvedCallback } from './answer-solved.js';
import { requestHumanCallback } from './request-human.js';
import { requestTakeCallback } from './request-take.js';

export const ACTIONS = [
  'answer_solved',
  'answer_not_helpful',
  'answer_create_ticket',
  'alert_take',
  'request_take',
  'request_human',
] as const;

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>('answer_solved', answerSolvedCallback(deps));
  app.action<BlockButtonAction>('answer_not_helpful', answerNotHelpfulCallback(deps));
  app.action<BlockButtonAction>('answer_create_ticket', answerCreateTicketCallback(deps));
  app.action<BlockButtonAction>('alert_take', alertTakeCallback(deps));
  app.action<BlockButtonAction>('request_take', requestTakeCallback(deps));
  app.action<BlockButtonAction>('request_human', requestHumanCallback(deps));
}
