import type { AllMiddlewareArgs, Logger, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type Ticket, TicketKeptForLaterError } from '../../../support/tickets/index.js';
import {
  type CardMessage,
  noticeCard,
  readTicketModal,
  TICKET_MODAL_IDS,
  ticketCard,
} from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';
import { showToAsker } from '../../show-to-asker.js';
import { readThreadSoFar, type ThreadSoFar } from '../../thread-transcript.js';
import { replaceViaResponseUrl, ticketView } from '../../ticket-notifier.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';
import { decodeTicketModalMetadata, type TicketModalMetadata } from './ticket-modal-metadata.js';

type SubmitArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/**
 * The ticket modal's submit: invalid input goes back into the modal; otherwise the modal closes,
 * the ticket is stored and filed, and the asker's card becomes the ticket card.
 */
export function ticketModalSubmitCallback(deps: SlackDeps) {
  return async ({ ack, view, body, client, context, logger }: SubmitArgs): Promise<void> => {
    const { values, errors } = readTicketModal(view.state.values);
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const metadata = decodeTicketModalMetadata(view.private_metadata);
    const { tickets } = deps;
    if (!metadata || !tickets) {
      await ack({
        response_action: 'errors',
        errors: {
          [TICKET_MODAL_IDS.subject.blockId]:
            'This form can no longer be sent — please click “Create ticket” again.',
        },
      });
      return;
    }
    await ack();
    if (!(await isFirstDelivery(context))) return;

    const userId = body.user.id;
    const thread = await threadOfTicket(deps, client, logger, metadata);
    let ticket: Ticket;
    try {
      ticket = await tickets.requestTicket({
        questionId: metadata.questionId,
        subject: values.subject,
        message: thread?.transcript
          ? `${values.description}\n\n--- The Slack thread so far ---\n${thread.transcript}`
          : values.description,
        customerEmail: values.email,
        priority: values.priority,
        type: values.type,
        requesterId: userId,
        reason: 'asked',
        responseUrl: metadata.responseUrl,
        card: { channelId: metadata.channelId, ts: metadata.ts },
      });
    } catch (error) {
      const kept = error instanceof TicketKeptForLaterError;
      if (kept) logger.warn(`ticket for question ${metadata.questionId} kept until the database is back`);
      else logger.error(`storing the ticket failed: ${(error as Error).message}`);
      await showTicketCard(
        deps,
        client,
        logger,
        userId,
        metadata,
        kept
          ? noticeCard(
              'Your ticket is saved and will be filed as soon as deskhand can reach its database again.',
              ':ticket:',
            )
          : noticeCard(
              'Your ticket could not be saved just now — please click “Create ticket” again.',
              ':warning:',
            ),
      );
      return;
    }
    if (thread && metadata.channelId && metadata.threadTs) {
      await deps.ticketSync
        ?.linkThread({
          teamId: body.team?.id ?? body.view.team_id,
          ticketId: ticket.id,
          channelId: metadata.channelId,
          threadTs: metadata.threadTs,
          askerId: thread.askerId ?? userId,
          afterTs: thread.lastTs,
        })
        .catch((error: unknown) =>
          logger.error(`the ticket could not be linked to its thread: ${(error as Error).message}`),
        );
    }
    const answer = await deps.support.findAnswer(metadata.questionId, context.teamId).catch(() => undefined);
    await showTicketCard(
      deps,
      client,
      logger,
      userId,
      metadata,
      ticketCard(ticketView(ticket, tickets.deskLabel), answer),
    );
  };
}

/** The thread the ticket comes from, read so far; undefined outside a thread or when it cannot be read. */
async function threadOfTicket(
  deps: SlackDeps,
  client: WebClient,
  logger: Logger,
  metadata: TicketModalMetadata,
): Promise<ThreadSoFar | undefined> {
  if (!deps.ticketSync || !metadata.channelId || !metadata.threadTs) return undefined;
  try {
    return await readThreadSoFar(client, metadata.channelId, metadata.threadTs);
  } catch (error) {
    // The ticket is filed anyway, with the description alone.
    logger.warn(`the thread could not be read for the ticket: ${(error as Error).message}`);
    return undefined;
  }
}

/** In place of the clicked card when its response_url still works, else privately in its channel, else in a DM. */
async function showTicketCard(
  deps: SlackDeps,
  client: WebClient,
  logger: Logger,
  userId: string,
  metadata: TicketModalMetadata,
  message: CardMessage,
): Promise<void> {
  const { responseUrl } = metadata;
  const where = await showToAsker(
    client,
    logger,
    { userId, channelId: metadata.channelId },
    message,
    responseUrl ? (card) => replaceViaResponseUrl(responseUrl, card, logger) : undefined,
  );
  deps.cardsShown?.shown(where);
}
