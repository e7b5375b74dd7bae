import type { ViewOutput } from '@slack/bolt';
import type { TicketPriority, TicketType } from '../../support/ports.js';
import { clamp, fitBlocks, MODAL_BLOCKS_MAX, PRIVATE_METADATA_MAX, TEXT_INPUT_VALUE_MAX } from './limits.js';
import type { InputBlock, ModalView, PlainTextOption } from './types.js';

/** Ids of the ticket modal: its callback id, and each input's block id and action id. */
export const TICKET_MODAL_IDS = {
  callbackId: 'ticket_modal',
  subject: { blockId: 'subject', actionId: 'subject_input' },
  description: { blockId: 'description', actionId: 'description_input' },
  email: { blockId: 'email', actionId: 'email_input' },
  priority: { blockId: 'priority', actionId: 'priority_select' },
  type: { blockId: 'type', actionId: 'type_select' },
} as const;

/** A ticket subject is at most this long (HelpScout's subject limit). */
export const TICKET_SUBJECT_MAX = 255;
/** Longest email address a mailbox accepts (RFC 5321 path limit). */
const EMAIL_MAX = 254;

export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const TICKET_TYPES: readonly TicketType[] = ['email', 'chat', 'phone'];

const PRIORITY_LABELS: Record<TicketPriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};
const TYPE_LABELS: Record<TicketType, string> = { email: 'Email', chat: 'Chat', phone: 'Phone' };

export interface TicketModalInput {
  questionId: string;
  subject: string;
  description: string;
  email?: string;
  priority?: TicketPriority;
  type?: TicketType;
  /** Carried back on submit (question id, where to update the card); at most 3000 characters. */
  privateMetadata: string;
}

/** What a submitted ticket modal holds once read. */
export interface TicketModalValues {
  subject: string;
  description: string;
  email?: string;
  priority: TicketPriority;
  type: TicketType;
}

/**
 * The "Create a ticket" modal, prefilled. Throws a RangeError when `privateMetadata` is longer than
 * Slack allows: cutting it would corrupt what the submit handler reads back.
 */
export function ticketModal(input: TicketModalInput): ModalView {
  if (input.privateMetadata.length > PRIVATE_METADATA_MAX) {
    throw new RangeError(
      `ticket modal private_metadata is ${input.privateMetadata.length} characters; Slack allows ${PRIVATE_METADATA_MAX}`,
    );
  }
  const ids = TICKET_MODAL_IDS;
  const email = input.email?.trim();
  const blocks: InputBlock[] = [
    {
      type: 'input',
      block_id: ids.subject.blockId,
      label: { type: 'plain_text', text: 'Subject' },
      element: {
        type: 'plain_text_input',
        action_id: ids.subject.actionId,
        max_length: TICKET_SUBJECT_MAX,
        ...initialValue(oneLine(input.subject), TICKET_SUBJECT_MAX),
      },
    },
    {
      type: 'input',
      block_id: ids.description.blockId,
      label: { type: 'plain_text', text: 'Description' },
      hint: { type: 'plain_text', text: 'Includes your question and the sources deskhand already tried.' },
      element: {
        type: 'plain_text_input',
        action_id: ids.description.actionId,
        multiline: true,
        max_length: TEXT_INPUT_VALUE_MAX,
        ...initialValue(input.description, TEXT_INPUT_VALUE_MAX),
      },
    },
    {
      type: 'input',
      block_id: ids.email.blockId,
      label: { type: 'plain_text', text: 'Your email' },
      hint: { type: 'plain_text', text: 'Where the support team will reply.' },
      optional: true,
      element: {
        type: 'email_text_input',
        action_id: ids.email.actionId,
        ...(email && isEmail(email) ? { initial_value: email } : {}),
      },
    },
    {
      type: 'input',
      block_id: ids.priority.blockId,
      label: { type: 'plain_text', text: 'Priority' },
      element: {
        type: 'static_select',
        action_id: ids.priority.actionId,
        options: TICKET_PRIORITIES.map((priority) => option(priority, PRIORITY_LABELS[priority])),
        initial_option: option(input.priority ?? 'normal', PRIORITY_LABELS[input.priority ?? 'normal']),
      },
    },
    {
      type: 'input',
      block_id: ids.type.blockId,
      label: { type: 'plain_text', text: 'Type' },
      element: {
        type: 'static_select',
        action_id: ids.type.actionId,
        options: TICKET_TYPES.map((type) => option(type, TYPE_LABELS[type])),
        initial_option: option(input.type ?? 'email', TYPE_LABELS[input.type ?? 'email']),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: ids.callbackId,
    title: { type: 'plain_text', text: 'Create a ticket' },
    submit: { type: 'plain_text', text: 'Create ticket' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: input.privateMetadata,
    blocks: fitBlocks(blocks, MODAL_BLOCKS_MAX),
  };
}

/**
 * The submitted values, and an error per block id for anything invalid (no subject or description,
 * a subject too long, a malformed email, an unknown priority or type), ready for `response_action: 'errors'`.
 */
export function readTicketModal(stateValues: ViewOutput['state']['values']): {
  values: TicketModalValues;
  errors: Record<string, string>;
} {
  const ids = TICKET_MODAL_IDS;
  const read = (ref: { blockId: string; actionId: string }) => stateValues[ref.blockId]?.[ref.actionId];
  const errors: Record<string, string> = {};

  const subject = (read(ids.subject)?.value ?? '').trim();
  if (!subject) errors[ids.subject.blockId] = 'Please give the ticket a subject.';
  else if (subject.length > TICKET_SUBJECT_MAX)
    errors[ids.subject.blockId] = `Please keep the subject under ${TICKET_SUBJECT_MAX} characters.`;

  const description = (read(ids.description)?.value ?? '').trim();
  if (!description) errors[ids.description.blockId] = 'Please describe what you need help with.';
  else if (description.length > TEXT_INPUT_VALUE_MAX)
    errors[ids.description.blockId] = `Please keep the description under ${TEXT_INPUT_VALUE_MAX} characters.`;

  const email = (read(ids.email)?.value ?? '').trim();
  if (email && !isEmail(email)) errors[ids.email.blockId] = 'That doesn’t look like an email address.';

  const priority = read(ids.priority)?.selected_option?.value ?? 'normal';
  if (!isOneOf(priority, TICKET_PRIORITIES)) errors[ids.priority.blockId] = 'Please choose a priority.';

  const type = read(ids.type)?.selected_option?.value ?? 'email';
  if (!isOneOf(type, TICKET_TYPES)) errors[ids.type.blockId] = 'Please choose a type.';

  return {
    values: {
      subject: subject.slice(0, TICKET_SUBJECT_MAX),
      description: description.slice(0, TEXT_INPUT_VALUE_MAX),
      ...(email && isEmail(email) ? { email } : {}),
      priority: isOneOf(priority, TICKET_PRIORITIES) ? priority : 'normal',
      type: isOneOf(type, TICKET_TYPES) ? type : 'email',
    },
    errors,
  };
}

/** A plausible email address: one `@`, a dot in the domain, no spaces, at most 254 characters. */
export function isEmail(text: string): boolean {
  return (
    text.length <= EMAIL_MAX && /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/.test(text)
  );
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

function option(value: string, label: string): PlainTextOption {
  return { text: { type: 'plain_text', text: label }, value };
}

function initialValue(text: string, max: number): { initial_value?: string } {
  const value = clamp(text.trim(), max);
  return value ? { initial_value: value } : {};
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
