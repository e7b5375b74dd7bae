import type { KnownBlock } from './types.js';

// Slack's documented Block Kit limits (docs.slack.dev/reference/block-kit, checked May 2026).
// Lengths are counted in UTF-16 code units, which is never fewer than Slack's characters.

/** header block: `text`. */
export const HEADER_TEXT_MAX = 150;
/** section block: `text`. */
export const SECTION_TEXT_MAX = 3000;
/** section block: number of `fields`. */
export const SECTION_FIELDS_MAX = 10;
/** section block: each field's text. */
export const SECTION_FIELD_TEXT_MAX = 2000;
/** context block: number of `elements`. */
export const CONTEXT_ELEMENTS_MAX = 10;
/**
 * context block: each element's text. Slack documents only the text object's 3000; deskhand keeps
 * context lines to the 2000 it uses for every other small text (fields, labels, alt text).
 */
export const CONTEXT_TEXT_MAX = 2000;
/** actions block: number of `elements`. */
export const ACTIONS_ELEMENTS_MAX = 25;
/** button: `text`. */
export const BUTTON_TEXT_MAX = 75;
/** button: `value`. */
export const BUTTON_VALUE_MAX = 2000;
/** button: `url`. */
export const BUTTON_URL_MAX = 3000;
/** any interactive element: `action_id`. */
export const ACTION_ID_MAX = 255;
/** any block: `block_id`. */
export const BLOCK_ID_MAX = 255;
/** blocks in one message. */
export const MESSAGE_BLOCKS_MAX = 50;
/** blocks in one modal (or Home tab). */
export const MODAL_BLOCKS_MAX = 100;
/** modal `title`. */
export const MODAL_TITLE_MAX = 24;
/** modal `submit` and `close` texts. */
export const MODAL_BUTTON_TEXT_MAX = 24;
/** modal `callback_id`. */
export const CALLBACK_ID_MAX = 255;
/** modal `private_metadata`. */
export const PRIVATE_METADATA_MAX = 3000;
/** input block: `label`. */
export const INPUT_LABEL_MAX = 2000;
/** input block: `hint`. */
export const INPUT_HINT_MAX = 2000;
/** placeholder of an input or select element. */
export const PLACEHOLDER_MAX = 150;
/** plain_text_input: `initial_value`, `max_length` and `min_length`. */
export const TEXT_INPUT_VALUE_MAX = 3000;
/** option object: `text`. */
export const OPTION_TEXT_MAX = 75;
/** option object: `value`. */
export const OPTION_VALUE_MAX = 75;
/** static_select: number of `options`. */
export const SELECT_OPTIONS_MAX = 100;
/** message `text` (the notification fallback): Slack truncates beyond this. */
export const MESSAGE_TEXT_MAX = 40_000;
/**
 * deskhand's own budget for all the text inside one message's blocks. Slack rejects messages
 * whose blocks hold roughly 12,000 characters or more with `msg_blocks_too_long`, a limit it does
 * not document (slackapi/bolt-js#2509, #2867); the budget keeps well below it.
 */
export const MESSAGE_BLOCKS_TEXT_BUDGET = 8000;

const ELLIPSIS = '…';

/**
 * `text` cut to at most `max` characters, on a word boundary when one is near, ending with "…".
 * Never splits a surrogate pair.
 */
export function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  let cut = max - ELLIPSIS.length;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  let kept = text.slice(0, cut);
  const boundary = kept.search(/\s\S*$/);
  if (boundary > cut * 0.6) kept = kept.slice(0, boundary);
  return `${kept.trimEnd()}${ELLIPSIS}`;
}

/**
 * Like {@link clamp}, for mrkdwn that is already escaped: never leaves half an entity (`&am…`) or
 * half a link or mention (`<https://…`) at the cut.
 */
export function clampMrkdwn(mrkdwn: string, max: number): string {
  if (mrkdwn.length <= max) return mrkdwn;
  const clamped = clamp(mrkdwn, max);
  let kept = clamped.slice(0, -ELLIPSIS.length);
  const openToken = kept.lastIndexOf('<');
  if (openToken > kept.lastIndexOf('>')) kept = kept.slice(0, openToken);
  kept = kept.replace(/&[a-z]*$/, '');
  return `${kept.trimEnd()}${ELLIPSIS}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Block types that carry the card's controls and are kept when blocks must be dropped. */
const PINNED_TYPES = new Set(['actions', 'input']);

/**
 * At most `max` blocks: the first block and every actions/input block are kept, the others in
 * order while they fit, and a context "… N more not shown" stands where the dropped blocks were.
 * With `textBudget`, blocks are also dropped until all their text fits in it.
 */
export function fitBlocks(
  blocks: KnownBlock[],
  max: number,
  options: { textBudget?: number } = {},
): KnownBlock[] {
  const budget = options.textBudget ?? Number.POSITIVE_INFINITY;
  if (blocks.length <= max && textLength(blocks) <= budget) return blocks;

  const pinned = blocks.map((block, index) => index === 0 || PINNED_TYPES.has(block.type));
  const notice = moreNotShown(0);
  let slots = max - 1 - pinned.filter(Boolean).length;
  let textLeft =
    budget - textLength(notice) - blocks.reduce((sum, b, i) => sum + (pinned[i] ? textLength(b) : 0), 0);

  const kept: boolean[] = blocks.map((_, index) => pinned[index] === true);
  for (let index = 0; index < blocks.length; index++) {
    if (kept[index]) continue;
    const size = textLength(blocks[index] as KnownBlock);
    if (slots <= 0 || size > textLeft) break;
    kept[index] = true;
    slots -= 1;
    textLeft -= size;
  }

  const dropped = kept.filter((isKept) => !isKept).length;
  const result: KnownBlock[] = [];
  let noticePlaced = false;
  for (let index = 0; index < blocks.length; index++) {
    if (kept[index]) {
      result.push(blocks[index] as KnownBlock);
    } else if (!noticePlaced) {
      result.push(moreNotShown(dropped));
      noticePlaced = true;
    }
  }
  // Pinned blocks alone may still be too many; the controls at the end matter most.
  return result.length <= max ? result : [...result.slice(0, 1), ...result.slice(result.length - (max - 1))];
}

function moreNotShown(count: number): KnownBlock {
  return {
    type: 'context',
    block_id: 'more_not_shown',
    elements: [{ type: 'mrkdwn', text: `… ${count} more not shown` }],
  };
}

function textLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textLength(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  let total = 0;
  for (const [key, inner] of Object.entries(value)) {
    total += key === 'text' && typeof inner === 'string' ? inner.length : textLength(inner);
  }
  return total;
}
