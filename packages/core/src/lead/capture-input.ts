/**
 * What a CRM hands Leadline when a lead arrives: who the prospect is, where the lead came from, and
 * the facts the policies decide on.
 *
 * @module
 */
import { z } from 'zod';
import { instantSchema } from '../time/instant.js';
import { isKnownTimeZone } from '../time/time-zone-name.js';
import { normalizePhone } from './phone.js';

const text = z.string().trim().min(1).max(500);

/**
 * zod schema of a lead at intake.
 *
 * @example
 * ```ts
 * captureInputSchema.parse({
 *   id: 'form-7781', at: '2026-03-02T09:00:00Z', source: 'demo_request',
 *   contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
 * });
 * ```
 */
export const captureInputSchema = z.strictObject({
  /** Idempotency key of the intake (a form submission id, a webhook delivery id). */
  id: z.string().trim().min(1, 'must be a non-empty string').max(200),
  /** The lead's id; generated when absent. */
  leadId: z.string().trim().min(1).max(200).optional(),
  /** When the lead arrived. */
  at: instantSchema,
  /** Where the lead came from: demo_request, content_download, chat, event, outbound_reply, referral, ... */
  source: z.string().trim().min(1, 'must name where the lead came from').max(100),
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
    phone: z.string().trim().min(3).max(40).optional(),
    company: text.optional(),
    /** The prospect's IANA time zone: send windows apply in it. */
    timeZone: z.string().trim().min(1).max(64).refine(isKnownTimeZone, 'must be an IANA time zone, like Europe/Berlin').optional(),
  }),
  /** The prospect asked not to be called. */
  doNotCall: z.boolean().default(false),
  /** The prospect asked not to be emailed. */
  doNotEmail: z.boolean().default(false),
  /** Free-form facts the CRM wants kept with the lead. */
  attributes: z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean()])).optional(),
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
 * dedupeKeyOf({ email: ' Ada@Example.COM ' }); // 'ada@example.com'
 * ```
 */
export function dedupeKeyOf(contact: { email?: string | undefined }): string | undefined {
  return normalizedEmail(contact.email);
}

function normalizedEmail(email: string | undefined): string | undefined {
  return email?.trim().toLowerCase() || undefined;
}
