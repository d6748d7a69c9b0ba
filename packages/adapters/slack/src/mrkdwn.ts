/**
 * Making lead-provided text safe for Slack. Slack reads `&`, `<` and `>` as control characters: `<!channel>`
 * in a lead's name would page a whole channel and `<https://evil|Invoice>` would hide a link, so every
 * value from a lead is escaped before it enters a message.
 *
 * @module
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes Slack's three control characters, and only those (Slack asks not to encode anything else).
 *
 * @example
 * ```ts
 * import { escapeMrkdwn } from '@leadline/slack';
 *
 * escapeMrkdwn('<!channel> Tom & Jerry'); // '&lt;!channel&gt; Tom &amp; Jerry'
 * ```
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (char) => ENTITIES[char] ?? char);
}

/**
 * Escapes `text` and shortens it to at most `max` characters once escaped, ending with an ellipsis when
 * cut. Slack refuses a whole message when one text is over its limit, and cutting after escaping could
 * split an entity in half, so the cut is made between whole characters of the escaped text.
 *
 * @example
 * ```ts
 * import { escapeWithin } from './mrkdwn.js';
 *
 * escapeWithin('Ada & Co', 8); // 'Ada …', never a broken 'Ada &am…'
 * ```
 */
export function escapeWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const char of text) {
    const piece = ENTITIES[char] ?? char;
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}
