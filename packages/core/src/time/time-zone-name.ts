/**
 * Whether a string names an IANA time zone this runtime knows. It lives with time, below everything,
 * because validating a lead's contact needs it and calendars build on it.
 *
 * @module
 */

/**
 * Whether `timeZone` is an IANA zone name the runtime's `Intl` knows.
 *
 * @example
 * ```ts
 * import { isKnownTimeZone } from './time-zone-name.js';
 *
 * isKnownTimeZone('Asia/Kathmandu'); // true
 * isKnownTimeZone('Mars/Olympus'); // false
 * ```
 */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
