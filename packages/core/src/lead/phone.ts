/**
 * Phone numbers as dedupe keys: a number the CRM wrote any way (`030 123456`, `+49 (0)30 12 34 56`,
 * `0049 30 123456`) becomes its E.164 form (`+4930123456`), read with a default region for numbers
 * written without a country code. Parsing and validation are libphonenumber-js's, with its small
 * (`min`) metadata: validity is checked by length and leading digits, not number type.
 *
 * @module
 */
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { z } from 'zod';

/**
 * Whether `code` is an ISO 3166-1 alpha-2 region the phone metadata knows (upper case, like `DE`).
 *
 * @example
 * ```ts
 * import { isPhoneRegion } from '@leadline/core';
 *
 * isPhoneRegion('DE'); // true
 * isPhoneRegion('XX'); // false
 * ```
 */
export function isPhoneRegion(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

/**
 * zod schema of a default phone region: an ISO 3166-1 alpha-2 code (`'DE'`; lower case is accepted and
 * upper-cased) that the phone metadata knows.
 *
 * @example
 * ```ts
 * import { phoneRegionSchema } from '@leadline/core';
 *
 * phoneRegionSchema.parse('de'); // 'DE'
 * ```
 */
export const phoneRegionSchema = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .refine(isPhoneRegion, 'must be an ISO 3166-1 alpha-2 region code the phone metadata knows, like DE');

/**
 * A phone number in E.164 (`+4930123456`), with its extension as `;ext=12` when it has one (one
 * switchboard, many people); `undefined` when the text is not a valid number, or has no country code
 * and no `defaultRegion` is given (or the region is unknown). Never throws: CRMs hold messy numbers.
 *
 * @example
 * ```ts
 * import { normalizePhone } from '@leadline/core';
 *
 * normalizePhone('+49 30 123456'); // '+4930123456'
 * normalizePhone('030 123456', 'DE'); // '+4930123456'
 * normalizePhone('030 123456'); // undefined: no country code, no default region
 * normalizePhone('n/a', 'DE'); // undefined
 * ```
 */
export function normalizePhone(text: string, defaultRegion?: string): string | undefined {
  const region = defaultRegion !== undefined && isPhoneRegion(defaultRegion) ? defaultRegion : undefined;
  let parsed: ReturnType<typeof parsePhoneNumberFromString>;
  try {
    // The number is found within the text, so `Tel: +49 30 123456 (office)` is read as the number.
    parsed = region ? parsePhoneNumberFromString(text, region as CountryCode) : parsePhoneNumberFromString(text);
  } catch {
    return undefined;
  }
  if (!parsed?.isValid()) return undefined;
  return parsed.ext ? `${parsed.number};ext=${parsed.ext}` : parsed.number;
}
