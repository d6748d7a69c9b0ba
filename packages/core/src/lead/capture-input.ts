/**
 * What a CRM hands Leadline when a lead arrives: who the prospect is, where the lead came from, and
 * the facts the policies decide on.
 *
 * @module
 */
import { z } from 'zod';
import {
  MAX_ATTRIBUTE_KEY_LENGTH,
  MAX_ATTRIBUTES,
  MAX_ATTRIBUTES_JSON_LENGTH,
  MAX_ID_LENGTH,
  MAX_NOTE_LENGTH,
  MAX_SOURCE_LENGTH,
  MAX_TEXT_LENGTH,
} from '../limits.js';
import { instantSchema } from '../time/instant.js';
import { isKnownTimeZone } from '../time/time-zone-name.js';
import { freeTextSchema, singleLineSchema } from '../validation.js';
import { normalizePhone } from './phone.js';

const text = singleLineSchema(MAX_TEXT_LENGTH);

/**
 * Custom attributes: a bounded number of one-line keys with short values, so that the lead's snapshot,
 * rewritten on every commit, stays small whatever the CRM sends.
 */
const attributesSchema = z
  .record(singleLineSchema(MAX_ATTRIBUTE_KEY_LENGTH, { trim: false }), z.union([freeTextSchema(MAX_NOTE_LENGTH), z.number(), z.boolean()]))
  .superRefine((attributes, ctx) => {
    const count = Object.keys(attributes).length;
    if (count > MAX_ATTRIBUTES) ctx.addIssue({ code: 'custom', message: `must hold at most ${MAX_ATTRIBUTES} attributes, got ${count}` });
    else if (JSON.stringify(attributes).length > MAX_ATTRIBUTES_JSON_LENGTH)
      ctx.addIssue({ code: 'custom', message: `must take at most ${MAX_ATTRIBUTES_JSON_LENGTH} characters as JSON` });
  });

/**
 * zod schema of a lead at intake.
 *
 * @example
 * ```ts
 * import { captureInputSchema } from '@leadline/core';
 *
 * captureInputSchema.parse({
 *   id: 'form-7781', at: '2026-03-02T09:00:00Z', source: 'demo_request',
 *   contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
 * });
 * ```
 */
export const captureInputSchema = z.strictObject({
  /** Idempotency key of the intake (a form submission id, a webhook delivery id). */
  id: singleLineSchema(MAX_ID_LENGTH),
  /** The lead's id; generated when absent. */
  leadId: singleLineSchema(MAX_ID_LENGTH).optional(),
  /** When the lead arrived. */
  at: instantSchema,
  /** Where the lead came from: demo_request, content_download, chat, event, outbound_reply, referral, ... */
  source: singleLineSchema(MAX_SOURCE_LENGTH, { empty: 'must name where the lead came from' }),
  campaign: text.optional(),
  /** The asset (whitepaper, webinar) that triggered the lead. */
  asset: text.optional(),
  /** The form the prospect filled in. */
  form: text.optional(),
  priority: z.enum(['low', 'normal', 'high']).default('normal'),
  segment: text.optional(),
  /** The sales territory (a country, region or any code the routing rules use). */
  territory: text.optional(),
  score: z.number().finite().optional(),
  contact: z.strictObject({
    name: text.optional(),
    // Trimmed before the check: forms and CSV imports often carry stray spaces.
    email: z.string().trim().pipe(z.email('must be an email address').max(320)).optional(),
    phone: singleLineSchema(40).pipe(z.string().min(3)).optional(),
    company: text.optional(),
    /** The prospect's IANA time zone: send windows apply in it. */
    timeZone: z.string().trim().min(1).max(64).refine(isKnownTimeZone, 'must be an IANA time zone, like Europe/Berlin').optional(),
  }),
  /** The prospect asked not to be called. */
  doNotCall: z.boolean().default(false),
  /** The prospect asked not to be emailed. */
  doNotEmail: z.boolean().default(false),
  /** Free-form facts the CRM wants kept with the lead. */
  attributes: attributesSchema.optional(),
});

/** A lead at intake, as the caller writes it. */
export type CaptureInput = z.input<typeof captureInputSchema>;
/** A lead at intake after validation. */
export type ParsedCaptureInput = z.output<typeof captureInputSchema>;

/**
 * The keys that find a duplicate at intake: `email:` and the email trimmed and lower-cased, and
 * `phone:` and the phone in E.164 (see {@link normalizePhone}), read with `defaultRegion` (ISO 3166-1
 * alpha-2, like `DE`) when written without a country code. Email first, then phone; a lead with neither
 * has none. A phone that is not a valid number gives no key, and the lead is still accepted: CRMs hold
 * messy numbers, and a missing key only means no merge by phone.
 *
 * @example
 * ```ts
 * import { contactKeysOf } from '@leadline/core';
 *
 * contactKeysOf({ email: ' Ada@Example.COM ', phone: '030 123456' }, 'DE'); // ['email:ada@example.com', 'phone:+4930123456']
 * contactKeysOf({ phone: '+49 30 123456' }); // ['phone:+4930123456']
 * contactKeysOf({ phone: 'n/a' }, 'DE'); // []
 * ```
 */
export function contactKeysOf(contact: { email?: string | undefined; phone?: string | undefined }, defaultRegion?: string): string[] {
  const keys: string[] = [];
  const email = normalizedEmail(contact.email);
  if (email !== undefined) keys.push(`email:${email}`);
  const phone = contact.phone === undefined ? undefined : normalizePhone(contact.phone, defaultRegion);
  if (phone !== undefined) keys.push(`phone:${phone}`);
  return keys;
}

/**
 * The email, trimmed and lower-cased: the email part of {@link contactKeysOf}, without its `email:` prefix.
 *
 * @deprecated Use {@link contactKeysOf}, which matches phone numbers too.
 * @example
 * ```ts
 * import { dedupeKeyOf } from '@leadline/core';
 *
 * dedupeKeyOf({ email: ' Ada@Example.COM ' }); // 'ada@example.com'
 * ```
 */
export function dedupeKeyOf(contact: { email?: string | undefined }): string | undefined {
  return normalizedEmail(contact.email);
}

function normalizedEmail(email: string | undefined): string | undefined {
  return email?.trim().toLowerCase() || undefined;
}
