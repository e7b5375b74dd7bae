export {
  defaultChannelSettings,
  type EnvChannelDefaults,
  EnvChannelSettings,
} from './env-channel-settings.js';
export type {
  ChannelSettingsSource,
  GroupMembers,
  NewRequest,
  RequestNotifier,
  RequestStore,
  StatusChange,
} from './ports.js';
export { looksLikeQuestion } from './question-shape.js';
export {
  type ChannelMessage,
  type HumanOutcome,
  type OpenOutcome,
  REACTIONS,
  type ReplyOutcome,
  RequestService,
  type RequestServiceOptions,
  type ResolveOutcome,
  type TakeOutcome,
} from './request-service.js';
export { SlaWorker, type SlaWorkerOptions } from './sla-worker.js';
export type {
  ChannelSettings,
  RequestEvent,
  RequestEventKind,
  RequestStatus,
  RequestVia,
  SupportRequest,
} from './types.js';
