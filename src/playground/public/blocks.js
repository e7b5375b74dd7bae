// Renders Slack Block Kit and mrkdwn into DOM nodes. Every piece of text becomes a text node:
// nothing deskhand or a user wrote is ever parsed as HTML.

const el = (tag, className, children = []) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of [].concat(children)) if (child != null) node.append(child);
  return node;
};

const EMOJI = {
  mag: '🔎',
  warning: '⚠️',
  ticket: '🎫',
  file_folder: '📁',
  rotating_light: '🚨',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  bar_chart: '📊',
  grey_question: '❔',
  raised_hands: '🙌',
  eyes: '👀',
  bell: '🔔',
  x: '❌',
  information_source: 'ℹ️',
  thumbsup: '👍',
  wave: '👋',
  arrow_up: '⬆️',
  arrow_down: '⬇️',
  small_red_triangle: '🔺',
  small_red_triangle_down: '🔻',
  inbox_tray: '📥',
  speech_balloon: '💬',
  busts_in_silhouette: '👥',
  link: '🔗',
  clock3: '🕒',
  books: '📚',
  memo: '📝',
};
const emoji = (text) => text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
const unescapeCode = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const unescapeText = (text) => emoji(unescapeCode(text));

/** Inline mrkdwn: *bold*, _italic_, ~strike~, `code`, and Slack's <…> tokens. */
function inline(text, ctx) {
  const out = [];
  // Emoji names come first, so the underscores of :white_check_mark: are not read as italics.
  const pattern = /:([a-z0-9_+-]+):|<([^<>]+)>|`([^`\n]+)`|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) out.push(document.createTextNode(unescapeText(text.slice(last, match.index))));
    last = match.index + match[0].length;
    if (match[1] !== undefined) out.push(document.createTextNode(EMOJI[match[1]] ?? match[0]));
    else if (match[2] !== undefined) out.push(token(match[2], ctx));
    else if (match[3] !== undefined) out.push(el('code', '', unescapeCode(match[3])));
    else if (match[4] !== undefined) out.push(el('strong', '', inline(match[4], ctx)));
    else if (match[5] !== undefined) out.push(el('em', '', inline(match[5], ctx)));
    else if (match[6] !== undefined) out.push(el('s', '', inline(match[6], ctx)));
  }
  if (last < text.length) out.push(document.createTextNode(unescapeText(text.slice(last))));
  return out;
}

function token(body, ctx) {
  const [target, label] = splitOnce(body, '|');
  if (target.startsWith('@'))
    return el('span', 'mention', `@${ctx.userName(target.slice(1)) ?? target.slice(1)}`);
  if (target.startsWith('#'))
    return el('span', 'mention', `#${label ?? ctx.channelName(target.slice(1)) ?? target.slice(1)}`);
  if (target.startsWith('!subteam^')) return el('span', 'mention', label ?? '@oncall');
  if (target.startsWith('!date^')) return document.createTextNode(unescapeText(label ?? ''));
  if (target.startsWith('!')) return el('span', 'mention', `@${target.slice(1)}`);
  if (/^(https?:|mailto:)/.test(target)) {
    const a = el('a', '', unescapeText(label ?? target));
    a.href = target;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }
  return document.createTextNode(unescapeText(`<${body}>`));
}

function splitOnce(text, separator) {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

/** mrkdwn with code blocks, quotes and line breaks. */
export function mrkdwn(text, ctx) {
  const root = el('div', 'mrkdwn');
  const parts = String(text ?? '').split(/```/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      root.append(el('pre', '', unescapeCode(part.replace(/^\n/, ''))));
      return;
    }
    const lines = part.split('\n');
    lines.forEach((line, j) => {
      if (/^(&gt;|>)\s?/.test(line))
        root.append(el('blockquote', '', inline(line.replace(/^(&gt;|>)\s?/, ''), ctx)));
      else {
        root.append(...inline(line, ctx));
        if (j < lines.length - 1) root.append(el('br'));
      }
    });
  });
  return root;
}

/** A plain_text object: shown as written, with :emoji: names drawn when `emoji` is not false. */
function plainText(object) {
  const text = object?.text ?? '';
  return object?.emoji === false ? text : emoji(text);
}

const isWebLink = (url) => /^(https?:|mailto:)/i.test(String(url ?? ''));

function textObject(object, ctx) {
  if (!object) return null;
  return object.type === 'mrkdwn' ? mrkdwn(object.text, ctx) : el('span', '', plainText(object));
}

function button(element, ctx) {
  const node = el('button', `bk-button ${element.style ?? ''}`, plainText(element.text) || 'Button');
  node.type = 'button';
  node.dataset.actionId = element.action_id ?? '';
  // A link button opens its page (web links only) and, as in Slack, still tells the app it was clicked.
  node.addEventListener('click', async () => {
    if (isWebLink(element.url)) window.open(element.url, '_blank', 'noopener');
    node.disabled = true;
    try {
      await ctx.onAction(element);
    } finally {
      node.disabled = false;
    }
  });
  return node;
}

function element(element, ctx) {
  if (element.type === 'button') return button(element, ctx);
  if (element.type === 'image') return el('span', '', `🖼 ${element.alt_text ?? ''}`);
  return textObject(element, ctx);
}

/** Message blocks (and the non-input blocks of modals). */
export function renderBlocks(blocks, ctx) {
  const root = el('div', 'blocks');
  for (const block of blocks ?? []) {
    const node = renderBlock(block, ctx);
    if (node) root.append(node);
  }
  return root;
}

function renderBlock(block, ctx) {
  switch (block.type) {
    case 'header':
      return el('div', 'bk-header', block.text?.text ?? '');
    case 'section': {
      const body = el('div', 'bk-section-body', [textObject(block.text, ctx)]);
      if (block.fields?.length)
        body.append(
          el(
            'div',
            'bk-fields',
            block.fields.map((field) => textObject(field, ctx)),
          ),
        );
      return el('div', 'bk-section', [body, block.accessory ? element(block.accessory, ctx) : null]);
    }
    case 'context':
      return el(
        'div',
        'bk-context',
        (block.elements ?? []).map((item) => element(item, ctx)),
      );
    case 'divider':
      return el('hr', 'bk-divider');
    case 'actions':
      return el(
        'div',
        'bk-actions',
        (block.elements ?? []).map((item) => element(item, ctx)),
      );
    case 'input':
      return renderInput(block, ctx);
    case 'rich_text':
      return el('div', 'text', ctx.fallbackText ?? '');
    default:
      return el('div', 'bk-context', `(${block.type} block)`);
  }
}

/** An input block of a modal; its control keeps the action_id so the submission can be built. */
function renderInput(block, ctx) {
  const input = block.element ?? {};
  const id = `input-${block.block_id}`;
  const label = el('label', '', [
    block.label?.text ?? '',
    block.optional ? el('span', 'optional', ' (optional)') : null,
  ]);
  label.htmlFor = id;
  let control;
  if (input.type === 'static_select') {
    control = el('select');
    for (const option of input.options ?? []) {
      const node = el('option', '', option.text?.text ?? option.value);
      node.value = option.value;
      if (input.initial_option?.value === option.value) node.selected = true;
      control.append(node);
    }
  } else if (input.type === 'plain_text_input' && input.multiline) {
    control = el('textarea');
    control.rows = 6;
    control.value = input.initial_value ?? '';
  } else {
    control = el('input');
    control.type = input.type === 'email_text_input' ? 'email' : 'text';
    control.value = input.initial_value ?? '';
  }
  control.id = id;
  control.dataset.initialValue = control.value;
  control.dataset.actionId = input.action_id ?? block.block_id;
  control.dataset.blockId = block.block_id;
  if (input.placeholder?.text) control.placeholder = input.placeholder.text;
  const error = el('div', 'error', ctx.errors?.[block.block_id] ?? '');
  const field = el('div', 'bk-input', [
    label,
    control,
    block.hint ? el('div', 'hint-text', block.hint.text) : null,
    error,
  ]);
  field.dataset.blockId = block.block_id;
  return field;
}
