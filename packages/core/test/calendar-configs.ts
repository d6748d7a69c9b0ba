// What the calendar tests share about generated calendar configs.
import { type BusinessCalendarConfig, MINUTE } from '@leadline/core';

/** Open time in one week of weekly hours, wall-clock (DST aside): the unit test durations are drawn in. */
export function weeklyOpenMs(config: BusinessCalendarConfig): number {
  let minutes = 0;
  for (const shifts of Object.values(config.weekly)) {
    for (const shift of shifts ?? []) {
      const [from = '', to = ''] = shift.split('-');
      const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
      minutes += toMinutes(to) - toMinutes(from);
    }
  }
  return minutes * MINUTE;
}
