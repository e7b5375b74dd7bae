export { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from './backoff.js';
export { subjectFrom, type TicketDraft, ticketDraftFor } from './draft.js';
export { TicketOutboxWorker, type TicketOutboxWorkerOptions } from './outbox-worker.js';
export {
  type AttemptRef,
  type NewTicket,
  TicketKeptForLaterError,
  type TicketNotifier,
  type TicketStore,
} from './ports.js';
export { type AutoTicketOptions, TicketService, type TicketServiceOptions } from './ticket-service.js';
export type {
  Ticket,
  TicketCardLocation,
  TicketDeskUpdate,
  TicketInput,
  TicketReason,
  TicketStatus,
} from './types.js';
