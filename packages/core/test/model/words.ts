/** Instants and durations in words for counterexamples: the weekday helps with business hours. */
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Mon 2026-03-02T09:05Z` (seconds when there are any). */
export function stamp(at: number | undefined): string {
  if (at === undefined) return '(none)';
  const date = new Date(at);
  const iso = date.toISOString();
  const seconds = date.getUTCSeconds() !== 0 || date.getUTCMilliseconds() !== 0;
  return `${WEEKDAYS[date.getUTCDay()]} ${seconds ? iso.replace('.000Z', 'Z') : `${iso.slice(0, 16)}Z`}`;
}
