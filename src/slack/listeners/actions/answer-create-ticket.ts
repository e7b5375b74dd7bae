import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type Ticket, ticketDraftFor } from '../../../support/tickets/index.js';
import type { Answer } from '../../../support/types.js';
import { noticeCard, type TicketModalInput, ticketCard, ticketModal } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';
import { ticketView } from '../../ticket-notifier.js';
import { emailOf } from '../../user-email.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';
import { encodeTicketModalMetadata } from '../views/ticket-modal-metadata.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * "Create ticket" on an answer card: opens the ticket modal prefilled from the stored answer at
 * once (the trigger_id expires in 3 s), then adds the asker's email when Slack has given it.
 * When the question already has a ticket, shows that ticket instead.
 */
export function answerCreateTicketCallback(deps: SlackDeps) {
  return async ({ ack, action, body, client, context, logger, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { tickets } = deps;
    if (!tickets) {
      await respond({
        replace_original: false,
        response_type: 'ephemeral',
        ...noticeCard('Tickets are not available right now — please try again in a moment.', ':warning:'),
      });
      return;
    }
    const questionId = action.value ?? '';
    let found: [boolean, Answer | undefined, Ticket | undefined];
    try {
      found = await Promise.all([
        isFirstDelivery(context),
        deps.support.findAnswer(questionId, context.teamId),
        tickets.findForQuestion(questionId),
      ]);
    } catch (error) {
      logger.error(`reading the question for a ticket failed: ${(error as Error).message}`);
      await respond({
        replace_original: false,
        response_type: 'ephemeral',
        ...noticeCard('Could not open the ticket form just now — please try again in a moment.', ':warning:'),
      });
      return;
    }
    const [first, answer, existing] = found;
    if (!first) return;
    if (!answer) {
      await respond({
        replace_original: false,
        response_type: 'ephemeral',
        ...noticeCard('That question is no longer available.', ':grey_question:'),
      });
      return;
    }
    if (existing) {
      await respond({
        replace_original: true,
        response_type: 'ephemeral',
        ...ticketCard(ticketView(existing, tickets.deskLabel), answer),
      });
      return;
    }

    // A stored answer knows its sources by name only; the ticket names them as people know them.
    const labels = new Map(deps.support.sources.map((source) => [source.name, source.label]));
    const draft = ticketDraftFor({
      ...answer,
      lookups: answer.lookups.map((lookup) => ({
        ...lookup,
        label: labels.get(lookup.source) ?? lookup.label,
      })),
    });
    const container = body.container as { channel_id?: string; message_ts?: string; is_ephemeral?: boolean };
    const modal: TicketModalInput = {
      questionId,
      subject: draft.subject,
      description: draft.message,
      priority: 'normal',
      type: 'email',
      privateMetadata: encodeTicketModalMetadata({
        questionId,
        responseUrl: body.response_url,
        channelId: container.channel_id ?? body.channel?.id,
        ts: container.is_ephemeral ? undefined : (container.message_ts ?? body.message?.ts),
        threadTs: threadOf(body.message),
      }),
    };
    let opened: Awaited<ReturnType<WebClient['views']['open']>>;
    try {
      opened = await client.views.open({ trigger_id: body.trigger_id, view: ticketModal(modal) });
    } catch (error) {
      logger.error(`opening the ticket modal failed: ${(error as Error).message}`);
      await respond({
        replace_original: false,
        response_type: 'ephemeral',
        ...noticeCard('Could not open the ticket form — please click “Create ticket” again.', ':warning:'),
      });
      return;
    }

    const email = await emailOf(client, body.user.id);
    if (!email || !opened.view?.id) return;
    try {
      await client.views.update({
        view_id: opened.view.id,
        hash: opened.view.hash,
        view: ticketModal({ ...modal, email }),
      });
    } catch (error) {
      // The form stays open without the email; the asker can type it.
      logger.warn(`adding the email to the ticket modal failed: ${(error as Error).message}`);
    }
  };
}

/** The thread a clicked card is a reply in, if it is one. */
function threadOf(message: { ts?: string; thread_ts?: unknown } | undefined): string | undefined {
  const threadTs = message?.thread_ts;
  return typeof threadTs === 'string' && threadTs !== message?.ts ? threadTs : undefined;
}
