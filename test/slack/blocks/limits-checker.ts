import {
  ACTION_ID_MAX,
  ACTIONS_ELEMENTS_MAX,
  BLOCK_ID_MAX,
  BUTTON_TEXT_MAX,
  BUTTON_URL_MAX,
  BUTTON_VALUE_MAX,
  CALLBACK_ID_MAX,
  CONTEXT_ELEMENTS_MAX,
  CONTEXT_TEXT_MAX,
  HEADER_TEXT_MAX,
  INPUT_HINT_MAX,
  INPUT_LABEL_MAX,
  MESSAGE_BLOCKS_MAX,
  MESSAGE_BLOCKS_TEXT_BUDGET,
  MESSAGE_TEXT_MAX,
  MODAL_BLOCKS_MAX,
  MODAL_BUTTON_TEXT_MAX,
  MODAL_TITLE_MAX,
  OPTION_TEXT_MAX,
  OPTION_VALUE_MAX,
  PLACEHOLDER_MAX,
  PRIVATE_METADATA_MAX,
  SECTION_FIELD_TEXT_MAX,
  SECTION_FIELDS_MAX,
  SECTION_TEXT_MAX,
  SELECT_OPTIONS_MAX,
  TEXT_INPUT_VALUE_MAX,
} from '../../../src/slack/blocks/limits.js';
import type { CardMessage, ModalView } from '../../../src/slack/blocks/types.js';

// An independent check of Slack's limits: it walks the JSON as Slack would receive it, so it does
// not trust the builders' own clamping. Every block and element type the builders may produce is
// listed; anything else is reported, so a new kind of block cannot slip past unchecked.

type Json = Record<string, unknown>;

/** Throws, listing every violation, unless `subject` (a message or a modal view) is within Block Kit's limits. */
export function assertWithinBlockKitLimits(subject: CardMessage | ModalView): void {
  const problems = blockKitViolations(subject);
  if (problems.length > 0) throw new Error(`Block Kit limits broken:\n  ${problems.join('\n  ')}`);
}

/** Every limit `subject` breaks, as readable lines; empty when it is within them all. */
export function blockKitViolations(subject: CardMessage | ModalView): string[] {
  const problems: string[] = [];
  const report = (path: string, message: string) => problems.push(`${path}: ${message}`);
  const blocks = subject.blocks as unknown as Json[];

  if ('type' in subject && subject.type === 'modal') {
    checkText(report, 'view.title', subject.title, MODAL_TITLE_MAX, 'plain_text');
    if (subject.submit) checkText(report, 'view.submit', subject.submit, MODAL_BUTTON_TEXT_MAX, 'plain_text');
    if (subject.close) checkText(report, 'view.close', subject.close, MODAL_BUTTON_TEXT_MAX, 'plain_text');
    checkLength(report, 'view.private_metadata', subject.private_metadata, PRIVATE_METADATA_MAX);
    checkLength(report, 'view.callback_id', subject.callback_id, CALLBACK_ID_MAX);
    if (blocks.length > MODAL_BLOCKS_MAX)
      report('view.blocks', `${blocks.length} blocks > ${MODAL_BLOCKS_MAX}`);
    if (blocks.some((block) => block.type === 'input') && !subject.submit) {
      report('view.submit', 'a modal with input blocks needs a submit button');
    }
  } else {
    const message = subject as CardMessage;
    if (typeof message.text !== 'string' || message.text.length === 0)
      report('text', 'fallback text is empty');
    else checkLength(report, 'text', message.text, MESSAGE_TEXT_MAX);
    if (blocks.length > MESSAGE_BLOCKS_MAX)
      report('blocks', `${blocks.length} blocks > ${MESSAGE_BLOCKS_MAX}`);
    const total = totalText(blocks);
    if (total > MESSAGE_BLOCKS_TEXT_BUDGET)
      report('blocks', `${total} characters of text > ${MESSAGE_BLOCKS_TEXT_BUDGET}`);
  }
  if (blocks.length === 0) report('blocks', 'no blocks');

  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const path = `blocks[${index}](${String(block.type)})`;
    if (typeof block.block_id === 'string') {
      checkLength(report, `${path}.block_id`, block.block_id, BLOCK_ID_MAX);
      if (blockIds.has(block.block_id)) report(`${path}.block_id`, `"${block.block_id}" is not unique`);
      blockIds.add(block.block_id);
    }
    checkBlock(report, path, block);
  });
  return problems;
}

type Report = (path: string, message: string) => void;

function checkBlock(report: Report, path: string, block: Json): void {
  switch (block.type) {
    case 'header':
      checkText(report, `${path}.text`, block.text, HEADER_TEXT_MAX, 'plain_text');
      return;
    case 'section': {
      const fields = block.fields as Json[] | undefined;
      if (!block.text && !fields) report(path, 'a section needs text or fields');
      if (block.text) checkText(report, `${path}.text`, block.text, SECTION_TEXT_MAX);
      if (fields) {
        if (fields.length === 0 || fields.length > SECTION_FIELDS_MAX) {
          report(`${path}.fields`, `${fields.length} fields (1..${SECTION_FIELDS_MAX})`);
        }
        for (const [i, field] of fields.entries()) {
          checkText(report, `${path}.fields[${i}]`, field, SECTION_FIELD_TEXT_MAX);
        }
      }
      if (block.accessory) checkElement(report, `${path}.accessory`, block.accessory as Json);
      return;
    }
    case 'context': {
      const elements = block.elements as Json[];
      if (elements.length === 0 || elements.length > CONTEXT_ELEMENTS_MAX) {
        report(`${path}.elements`, `${elements.length} elements (1..${CONTEXT_ELEMENTS_MAX})`);
      }
      elements.forEach((element, i) => {
        if (element.type === 'image')
          checkLength(report, `${path}.elements[${i}].alt_text`, element.alt_text, 2000);
        else checkText(report, `${path}.elements[${i}]`, element, CONTEXT_TEXT_MAX);
      });
      return;
    }
    case 'actions': {
      const elements = block.elements as Json[];
      if (elements.length === 0 || elements.length > ACTIONS_ELEMENTS_MAX) {
        report(`${path}.elements`, `${elements.length} elements (1..${ACTIONS_ELEMENTS_MAX})`);
      }
      const actionIds = new Set<string>();
      elements.forEach((element, i) => {
        checkElement(report, `${path}.elements[${i}]`, element);
        const actionId = element.action_id as string | undefined;
        if (actionId && actionIds.has(actionId))
          report(`${path}.elements[${i}]`, `action_id "${actionId}" repeated`);
        if (actionId) actionIds.add(actionId);
      });
      return;
    }
    case 'input':
      checkText(report, `${path}.label`, block.label, INPUT_LABEL_MAX, 'plain_text');
      if (block.hint) checkText(report, `${path}.hint`, block.hint, INPUT_HINT_MAX, 'plain_text');
      checkElement(report, `${path}.element`, block.element as Json);
      return;
    case 'divider':
      return;
    default:
      report(path, `block type "${String(block.type)}" is not checked here; add its limits`);
  }
}

function checkElement(report: Report, path: string, element: Json): void {
  checkLength(report, `${path}.action_id`, element.action_id, ACTION_ID_MAX);
  if (element.placeholder)
    checkText(report, `${path}.placeholder`, element.placeholder, PLACEHOLDER_MAX, 'plain_text');
  switch (element.type) {
    case 'button':
      checkText(report, `${path}.text`, element.text, BUTTON_TEXT_MAX, 'plain_text');
      checkLength(report, `${path}.value`, element.value, BUTTON_VALUE_MAX);
      checkLength(report, `${path}.url`, element.url, BUTTON_URL_MAX);
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        report(`${path}.style`, `unknown style ${String(element.style)}`);
      }
      return;
    case 'plain_text_input': {
      const max = element.max_length as number | undefined;
      if (max !== undefined && (max < 1 || max > TEXT_INPUT_VALUE_MAX))
        report(`${path}.max_length`, `${max}`);
      checkLength(
        report,
        `${path}.initial_value`,
        element.initial_value,
        Math.min(max ?? TEXT_INPUT_VALUE_MAX, TEXT_INPUT_VALUE_MAX),
      );
      return;
    }
    case 'email_text_input':
      checkLength(report, `${path}.initial_value`, element.initial_value, TEXT_INPUT_VALUE_MAX);
      return;
    case 'static_select': {
      const options = (element.options as Json[] | undefined) ?? [];
      if (options.length === 0 || options.length > SELECT_OPTIONS_MAX) {
        report(`${path}.options`, `${options.length} options (1..${SELECT_OPTIONS_MAX})`);
      }
      options.forEach((option, i) => {
        checkText(report, `${path}.options[${i}].text`, option.text, OPTION_TEXT_MAX, 'plain_text');
        checkLength(report, `${path}.options[${i}].value`, option.value, OPTION_VALUE_MAX);
      });
      const initial = element.initial_option as Json | undefined;
      if (initial && !options.some((option) => JSON.stringify(option) === JSON.stringify(initial))) {
        report(`${path}.initial_option`, 'is not one of the options');
      }
      return;
    }
    default:
      report(path, `element type "${String(element.type)}" is not checked here; add its limits`);
  }
}

function checkText(report: Report, path: string, value: unknown, max: number, only?: 'plain_text'): void {
  if (value === null || typeof value !== 'object') {
    report(path, 'missing text object');
    return;
  }
  const text = value as Json;
  if (text.type !== 'plain_text' && text.type !== 'mrkdwn') report(path, `text type ${String(text.type)}`);
  if (only && text.type !== only) report(path, `must be ${only}`);
  if (typeof text.text !== 'string' || text.text.trim().length === 0) report(path, 'empty text');
  else checkLength(report, path, text.text, max);
}

function checkLength(report: Report, path: string, value: unknown, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'string') report(path, `not a string (${typeof value})`);
  else if (value.length > max) report(path, `${value.length} characters > ${max}`);
}

function totalText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + totalText(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.entries(value).reduce(
    (sum, [key, inner]) =>
      sum + (key === 'text' && typeof inner === 'string' ? inner.length : totalText(inner)),
    0,
  );
}
