import { clampMrkdwn } from './limits.js';

/**
 * `text` safe to put in mrkdwn: `&`, `<` and `>` become entities, so no `<!channel>`, `<@U…>` or
 * `<http://…|…>` written by a user can reach Slack as a mention or a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The text {@link escapeMrkdwn} was given (for plain-text renderings of a card). */
export function unescapeMrkdwn(mrkdwn: string): string {
  return mrkdwn.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** User text escaped for mrkdwn, then cut to at most `max` characters. */
export function userText(text: string, max: number): string {
  return clampMrkdwn(escapeMrkdwn(text.trim()), max);
}

/** Like {@link userText}, on one line: runs of whitespace, newlines included, become one space. */
export function userLine(text: string, max: number): string {
  return userText(text.replace(/\s+/g, ' '), max);
}

/** Links longer than this are shown as plain titles: they would crowd out the text around them. */
const LINK_URL_MAX = 1000;

/**
 * A mrkdwn link `<url|label>` with the label escaped (and cut to `labelMax`), or just the label
 * when `url` is not an http(s) URL (no `javascript:`, `slack://`, or mentions posing as URLs).
 */
export function link(url: string | undefined, label: string, labelMax = 200): string {
  const safeLabel = userLine(label.replace(/\|/g, '¦'), labelMax);
  const safeUrl = url === undefined ? undefined : httpUrl(url);
  if (!safeUrl) return safeLabel;
  return `<${safeUrl}|${safeLabel || safeUrl}>`;
}

/** `url` normalised and with the characters that would end a mrkdwn link percent-encoded, if it is http(s). */
export function httpUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const href = parsed.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return href.length <= LINK_URL_MAX ? href : undefined;
}

/** Already-escaped mrkdwn as a block quote: every line starts with `>`. */
export function quote(mrkdwn: string): string {
  return mrkdwn
    .replace(/\n{3,}/g, '\n\n')
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}
