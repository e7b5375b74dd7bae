export type {
  AdditionAttempt,
  NewThreadAddition,
  ThreadPoster,
  TicketConversation,
  TicketThreadStore,
} from './ports.js';
export { ThreadSyncWorker, type ThreadSyncWorkerOptions } from './sync-worker.js';
export {
  isAfter,
  TicketSyncService,
  type TicketSyncServiceOptions,
  threadTranscript,
} from './ticket-sync-service.js';
export type {
  DeskAgentReply,
  SlackThreadReply,
  ThreadAddition,
  TicketThreadLink,
} from './types.js';
