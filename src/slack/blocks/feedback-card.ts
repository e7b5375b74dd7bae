import type { Answer, FeedbackKind } from '../../support/types.js';
import { answerBlocks, createTicketButton, lookupContext, questionBlock } from './answer-card.js';
import { userLine } from './mrkdwn.js';
import { actions, card, section } from './parts.js';
import type { CardMessage, KnownBlock } from './types.js';

const THANKS: Record<FeedbackKind, string> = {
  solved: 'Glad that helped! ✓',
  not_helpful: 'Thanks — noted that this didn’t help. Want a person to look at it?',
};

/**
 * The card that replaces an answer card after Solved / Not helpful: a thank-you above the same
 * question, reply and sources, and for Not helpful the Create ticket button.
 */
export function feedbackCard(
  answer: Answer,
  kind: FeedbackKind,
  options: { ticketsEnabled: boolean } = { ticketsEnabled: true },
): CardMessage {
  const blocks: KnownBlock[] = [
    section('feedback_thanks', `*${THANKS[kind]}*`),
    questionBlock(answer),
    ...(answer.found ? answerBlocks(answer) : []),
    lookupContext(answer),
  ];
  if (kind === 'not_helpful') {
    blocks.push(actions('feedback_actions', [createTicketButton(answer, options.ticketsEnabled, 'primary')]));
  }
  const question = userLine(answer.question.text, 150);
  return card(`${THANKS[kind]} (“${question}”)`, blocks);
}
