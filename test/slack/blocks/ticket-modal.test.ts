import type { ViewOutput } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { readTicketModal, TICKET_MODAL_IDS, ticketModal } from '../../../src/slack/blocks/ticket-modal.js';
import type { InputBlock } from '../../../src/slack/blocks/types.js';
import { HOSTILE, QUESTION_ID } from './fixtures.js';
import { assertWithinBlockKitLimits } from './limits-checker.js';

const base = {
  questionId: QUESTION_ID,
  subject: 'How do I reset my password?',
  description: 'Question: How do I reset my password?\nTried: Knowledge base, Notion',
  email: 'ada@acme.example',
  privateMetadata: JSON.stringify({ questionId: QUESTION_ID }),
};
const input = (view: ReturnType<typeof ticketModal>, blockId: string) =>
  view.blocks.find((b) => b.block_id === blockId) as InputBlock;

describe('ticketModal', () => {
  const view = ticketModal(base);

  it('is the ticket_modal with its title, submit and metadata', () => {
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'ticket_modal',
      title: { type: 'plain_text', text: 'Create a ticket' },
      submit: { type: 'plain_text', text: 'Create ticket' },
      private_metadata: base.privateMetadata,
    });
    assertWithinBlockKitLimits(view);
  });

  it('has an input per field with the fixed block and action ids', () => {
    expect(view.blocks.map((b) => [b.block_id, (b as InputBlock).element.action_id])).toEqual([
      ['subject', 'subject_input'],
      ['description', 'description_input'],
      ['email', 'email_input'],
      ['priority', 'priority_select'],
      ['type', 'type_select'],
    ]);
    expect(TICKET_MODAL_IDS.callbackId).toBe('ticket_modal');
  });

  it('is prefilled: subject, multiline description, email, priority normal, type email', () => {
    expect(input(view, 'subject').element).toMatchObject({
      type: 'plain_text_input',
      initial_value: base.subject,
      max_length: 255,
    });
    expect(input(view, 'description').element).toMatchObject({
      multiline: true,
      initial_value: base.description,
    });
    expect(input(view, 'email').element).toMatchObject({
      type: 'email_text_input',
      initial_value: 'ada@acme.example',
    });
    expect(input(view, 'priority').element).toMatchObject({
      type: 'static_select',
      initial_option: { value: 'normal' },
      options: ['low', 'normal', 'high', 'urgent'].map((value) => expect.objectContaining({ value })),
    });
    expect(input(view, 'type').element).toMatchObject({
      initial_option: { value: 'email' },
      options: ['email', 'chat', 'phone'].map((value) => expect.objectContaining({ value })),
    });
  });

  it('uses the given priority and type, and leaves out a malformed email', () => {
    const urgent = ticketModal({ ...base, priority: 'urgent', type: 'chat', email: 'not an email' });
    expect(input(urgent, 'priority').element).toMatchObject({ initial_option: { value: 'urgent' } });
    expect(input(urgent, 'type').element).toMatchObject({ initial_option: { value: 'chat' } });
    expect(input(urgent, 'email').element).not.toHaveProperty('initial_value');
  });

  it('cuts a long subject to 255 and a long description to 3000, on one line for the subject', () => {
    const long = ticketModal({
      ...base,
      subject: `${'word '.repeat(100)}\n${HOSTILE}`,
      description: 'x '.repeat(5000),
    });
    const subject = input(long, 'subject').element as { initial_value: string };
    const description = input(long, 'description').element as { initial_value: string };
    expect(subject.initial_value.length).toBeLessThanOrEqual(255);
    expect(subject.initial_value).not.toContain('\n');
    expect(description.initial_value.length).toBeLessThanOrEqual(3000);
    assertWithinBlockKitLimits(long);
  });

  it('keeps user text as typed in inputs (plain text is not mrkdwn)', () => {
    const hostile = ticketModal({ ...base, subject: HOSTILE });
    expect(input(hostile, 'subject').element).toMatchObject({ initial_value: HOSTILE });
  });

  it('refuses private_metadata longer than Slack allows rather than cutting it', () => {
    expect(() => ticketModal({ ...base, privateMetadata: 'x'.repeat(3001) })).toThrow(RangeError);
  });
});

type State = ViewOutput['state']['values'];
function state(values: {
  subject?: string;
  description?: string;
  email?: string;
  priority?: string;
  type?: string;
}): State {
  const option = (value?: string) =>
    value === undefined ? null : { text: { type: 'plain_text' as const, text: value }, value };
  return {
    subject: { subject_input: { type: 'plain_text_input', value: values.subject ?? null } },
    description: { description_input: { type: 'plain_text_input', value: values.description ?? null } },
    email: { email_input: { type: 'email_text_input', value: values.email ?? null } },
    priority: { priority_select: { type: 'static_select', selected_option: option(values.priority) } },
    type: { type_select: { type: 'static_select', selected_option: option(values.type) } },
  };
}

describe('readTicketModal', () => {
  it('reads valid input', () => {
    expect(
      readTicketModal(
        state({
          subject: ' Locked out ',
          description: 'Help',
          email: 'ada@acme.example',
          priority: 'high',
          type: 'phone',
        }),
      ),
    ).toEqual({
      values: {
        subject: 'Locked out',
        description: 'Help',
        email: 'ada@acme.example',
        priority: 'high',
        type: 'phone',
      },
      errors: {},
    });
  });

  it('leaves email out when empty and defaults priority and type', () => {
    expect(readTicketModal(state({ subject: 'S', description: 'D' }))).toEqual({
      values: { subject: 'S', description: 'D', priority: 'normal', type: 'email' },
      errors: {},
    });
  });

  it('reports each problem against its block id', () => {
    const { errors } = readTicketModal(
      state({ subject: '   ', description: '', email: 'ada@', priority: 'critical', type: 'fax' }),
    );
    expect(Object.keys(errors).sort()).toEqual(['description', 'email', 'priority', 'subject', 'type']);
    expect(errors.subject).toMatch(/subject/);
    expect(errors.email).toMatch(/email/);
  });

  it('refuses a subject over 255 characters', () => {
    expect(readTicketModal(state({ subject: 'x'.repeat(256), description: 'd' })).errors).toHaveProperty(
      'subject',
    );
    expect(readTicketModal(state({ subject: 'x'.repeat(255), description: 'd' })).errors).toEqual({});
  });

  it('copes with blocks missing from the state', () => {
    expect(readTicketModal({}).errors).toEqual({
      subject: expect.any(String),
      description: expect.any(String),
    });
  });
});
