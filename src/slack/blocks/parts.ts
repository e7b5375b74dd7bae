import {
  BUTTON_TEXT_MAX,
  BUTTON_VALUE_MAX,
  CONTEXT_TEXT_MAX,
  clamp,
  clampMrkdwn,
  fitBlocks,
  MESSAGE_BLOCKS_MAX,
  MESSAGE_BLOCKS_TEXT_BUDGET,
  MESSAGE_TEXT_MAX,
  SECTION_FIELD_TEXT_MAX,
  SECTION_FIELDS_MAX,
  SECTION_TEXT_MAX,
} from './limits.js';
import type { ActionsBlock, Button, CardMessage, ContextBlock, KnownBlock, SectionBlock } from './types.js';

// Small constructors shared by the card builders; each one keeps its own piece within Slack's limits.

/** A section of mrkdwn (already escaped), cut to the section limit. */
export function section(blockId: string, mrkdwn: string): SectionBlock {
  return {
    type: 'section',
    block_id: blockId,
    text: { type: 'mrkdwn', text: clampMrkdwn(mrkdwn, SECTION_TEXT_MAX) },
  };
}

/** A section of two-column fields (mrkdwn, already escaped), at most ten, each cut to the field limit. */
export function fieldsSection(blockId: string, fields: string[], mrkdwn?: string): SectionBlock {
  const block: SectionBlock = {
    type: 'section',
    block_id: blockId,
    fields: fields
      .slice(0, SECTION_FIELDS_MAX)
      .map((field) => ({ type: 'mrkdwn', text: clampMrkdwn(field, SECTION_FIELD_TEXT_MAX) })),
  };
  if (mrkdwn) block.text = { type: 'mrkdwn', text: clampMrkdwn(mrkdwn, SECTION_TEXT_MAX) };
  return block;
}

/** A one-element context line of mrkdwn (already escaped). */
export function contextLine(blockId: string, mrkdwn: string): ContextBlock {
  return {
    type: 'context',
    block_id: blockId,
    elements: [{ type: 'mrkdwn', text: clampMrkdwn(mrkdwn, CONTEXT_TEXT_MAX) }],
  };
}

/** A button whose value is an id (question uuid, ticket or alert id). */
export function button(actionId: string, label: string, value: string, style?: 'primary' | 'danger'): Button {
  const element: Button = {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: clamp(label, BUTTON_TEXT_MAX), emoji: true },
    value: value.slice(0, BUTTON_VALUE_MAX),
  };
  if (style) element.style = style;
  return element;
}

/** An actions block of buttons. */
export function actions(blockId: string, buttons: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: buttons };
}

/** The finished message: fallback text cut to Slack's limit, blocks fitted to the count and text budget. */
export function card(text: string, blocks: KnownBlock[]): CardMessage {
  return {
    text: clampMrkdwn(text, MESSAGE_TEXT_MAX),
    blocks: fitBlocks(blocks, MESSAGE_BLOCKS_MAX, { textBudget: MESSAGE_BLOCKS_TEXT_BUDGET }),
  };
}

/** "1.2 s" or "350 ms". */
export function duration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  return safe < 1000 ? `${Math.round(safe)} ms` : `${(Math.round(safe / 100) / 10).toFixed(1)} s`;
}

/** "a, b and c". */
export function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
