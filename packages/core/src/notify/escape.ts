/**
 * HTML escaping for notification templates: every value that comes from a lead (a name, a company, an
 * activity) is escaped, so a lead named `<script>` renders as text.
 *
 * @module
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes `& < > " '` for HTML text and attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from '@leadline/core';
 *
 * escapeHtml('<script>alert(1)</script>'); // '&lt;script&gt;alert(1)&lt;/script&gt;'
 * ```
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => ENTITIES[character] as string);
}

/**
 * A tagged template for HTML that escapes every interpolated value (pass {@link rawHtml} for markup
 * that is already safe).
 *
 * @example
 * ```ts
 * import { html } from '@leadline/core';
 *
 * const lead = { name: '<script>alert(1)</script>' };
 * html`<p>New lead: ${lead.name}</p>`; // the name is escaped: &lt;script&gt;...
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, text, index) => {
    if (index === 0) return text;
    const value = values[index - 1];
    return out + (value instanceof SafeHtml ? value.markup : escapeHtml(value)) + text;
  }, '');
}

/** Markup that {@link html} inserts as it is. */
export class SafeHtml {
  constructor(readonly markup: string) {}
}

/**
 * Marks markup as safe for {@link html} (for example a list built with `html` itself).
 *
 * @example
 * ```ts
 * import { html, rawHtml } from '@leadline/core';
 *
 * const items = ['call', 'email'];
 * html`<ul>${rawHtml(items.map((item) => html`<li>${item}</li>`).join(''))}</ul>`;
 * ```
 */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
