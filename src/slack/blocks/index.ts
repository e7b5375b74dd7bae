export {
  ALERT_TAKE_ACTION,
  type AlertView,
  alertCard,
  escalationText,
  UNRECORDED_ALERT_PREFIX,
} from './alert-card.js';
export {
  ANSWER_ACTIONS,
  answerBlocks,
  answerCard,
  lookupContext,
  questionBlock,
  relatedBlocks,
  replyBlock,
  sourceBlocks,
} from './answer-card.js';
export { type AppHomeOptions, appHomeView } from './app-home.js';
export { cardAsText, mrkdwnAsText } from './card-as-text.js';
export {
  CHANNEL_SETTINGS_MODAL_IDS,
  type ChannelSettingsTarget,
  channelSettingsLoadingModal,
  channelSettingsModal,
  channelSettingsNoticeModal,
  decodeChannelSettingsTarget,
  readChannelSettingsModal,
  type SourceChoice,
} from './channel-settings-modal.js';
export { deskReplyMessage } from './desk-reply.js';
export { digestCard } from './digest-card.js';
export { feedbackCard } from './feedback-card.js';
export { helpCard } from './help-card.js';
export * from './limits.js';
export { escapeMrkdwn, httpUrl, link, quote, unescapeMrkdwn, userLine, userText } from './mrkdwn.js';
export { busyNotice, errorNotice, lookingUpNotice, noticeCard, rateLimitNotice } from './notice-card.js';
export {
  breachAlertCard,
  humanRequestedText,
  REQUEST_ACTIONS,
  type RequestView,
  requestButtons,
  requestCard,
  requestStatusBlock,
} from './request-card.js';
export { type TicketStatus, type TicketView, ticketCard } from './ticket-card.js';
export {
  isEmail,
  readTicketModal,
  TICKET_MODAL_IDS,
  TICKET_PRIORITIES,
  TICKET_SUBJECT_MAX,
  TICKET_TYPES,
  type TicketModalInput,
  type TicketModalValues,
  ticketModal,
} from './ticket-modal.js';
export type { CardMessage, HomeView } from './types.js';
