export { alerts } from './alerts.js';
export { cronRuns } from './cron-runs.js';
export { feedback } from './feedback.js';
export { lookups } from './lookups.js';
export { questions } from './questions.js';
export { slackEvents } from './slack-events.js';
export { tickets } from './tickets.js';
export { toolCalls } from './tool-calls.js';
