export { AlertService, type AlertServiceOptions, type RaisedTicket } from './alert-service.js';
export { EscalationWorker, type EscalationWorkerOptions } from './escalation-worker.js';
export type { AlertNotifier, AlertStore, NewAlert, QuestionFinder } from './ports.js';
export type { Alert, AlertDetails, AlertTicket, TakeOutcome } from './types.js';
