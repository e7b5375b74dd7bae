export { alerts } from './alerts.js';
export { channelSettings } from './channel-settings.js';
export { channelSettingsAudit } from './channel-settings-audit.js';
export { cronRuns } from './cron-runs.js';
export {
  digestDayGaps,
  digestDayHorizons,
  digestDayLookups,
  digestDayQuestions,
  digestDays,
  digestDayTeams,
  digestDayTickets,
  digestDirtyDays,
} from './digest-rollups.js';
export { embeddingCache } from './embedding-cache.js';
export { feedback } from './feedback.js';
export { lookups } from './lookups.js';
export { questions } from './questions.js';
export { replyAudits } from './reply-audits.js';
export { requestEvents } from './request-events.js';
export { requests } from './requests.js';
export { slackEvents } from './slack-events.js';
export { slackInstallations } from './slack-installations.js';
export { threadAdditions } from './thread-additions.js';
export { ticketThreads } from './ticket-threads.js';
export { tickets } from './tickets.js';
export { toolCalls } from './tool-calls.js';
