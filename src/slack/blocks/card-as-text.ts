import { unescapeMrkdwn } from './mrkdwn.js';
import type { KnownBlock } from './types.js';

/**
 * A card as readable plain text for a terminal: headers, sections and their fields, context lines,
 * links as `title (url)`, buttons as `[Solved] [Not helpful]`, with mrkdwn markup and escapes undone.
 */
export function cardAsText(blocks: readonly KnownBlock[]): string {
  return blocks
    .map(blockAsText)
    .filter((text) => text.length > 0)
    .join('\n\n');
}

function blockAsText(block: KnownBlock): string {
  switch (block.type) {
    case 'header':
      return `${block.text.text}\n${'='.repeat(Math.min(block.text.text.length, 60))}`;
    case 'section': {
      const lines: string[] = [];
      if (block.text) lines.push(textObjectAsText(block.text));
      for (const field of block.fields ?? []) lines.push(textObjectAsText(field).replace('\n', ': '));
      if (block.accessory?.type === 'button') lines.push(`[${block.accessory.text.text}]`);
      return lines.join('\n');
    }
    case 'context':
      return block.elements
        .map((element) =>
          'text' in element && typeof element.text === 'string' ? textObjectAsText(element) : '',
        )
        .filter(Boolean)
        .join('  ');
    case 'actions':
      return block.elements
        .map((element) => {
          if (element.type === 'button') return `[${element.text.text}]`;
          if ('placeholder' in element && element.placeholder) return `[${element.placeholder.text} ▾]`;
          return '';
        })
        .filter(Boolean)
        .join(' ');
    case 'divider':
      return '---';
    case 'input': {
      const element = block.element;
      const value =
        'initial_value' in element && typeof element.initial_value === 'string'
          ? element.initial_value
          : 'initial_option' in element && element.initial_option
            ? element.initial_option.text.text
            : '';
      return `${block.label.text}: ${value}`;
    }
    default:
      return '';
  }
}

function textObjectAsText(text: { type: string; text: string }): string {
  return text.type === 'mrkdwn' ? mrkdwnAsText(text.text) : text.text;
}

/** mrkdwn as plain text: links, mentions and dates spelled out, emphasis and quote markers dropped, escapes undone. */
export function mrkdwnAsText(mrkdwn: string): string {
  const spelled = mrkdwn
    .replace(/<([^<>]*)>/g, (_token, inner: string) => tokenAsText(inner))
    .replace(/^>/gm, '> ')
    .replace(/(^|[\s(“"'])\*(\S(?:[^*\n]*?\S)?)\*(?=$|[\s).,:;!?”"'…])/gm, '$1$2')
    .replace(/(^|[\s(“"'])_(\S(?:[^_\n]*?\S)?)_(?=$|[\s).,:;!?”"'…])/gm, '$1$2');
  return unescapeMrkdwn(spelled);
}

function tokenAsText(inner: string): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
  if (target.startsWith('#')) return label ? `#${label}` : target;
  if (target.startsWith('!date^')) return label ?? '';
  if (target.startsWith('!subteam^')) return label ?? `@${target.slice('!subteam^'.length)}`;
  if (target.startsWith('!')) return `@${target.slice(1)}`;
  if (!label || label === target) return target;
  // A reply's citation: the sources listed below carry the link.
  if (/^\[\d+\]$/.test(label)) return label;
  return `${label} (${target})`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}
