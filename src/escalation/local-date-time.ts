import { parseLocalTime } from './duration.js';
import { parseLocalDate, wallTimeToInstant } from './wall-time.js';

/** How a date and time are typed in commands: `2026-12-24 09:00` (or `2026-12-24T09:00`). */
export const LOCAL_DATE_TIME_EXAMPLE = '2026-12-24 09:00';

/**
 * A date and wall time typed by a person, read in their time zone (`zone`, IANA), with the
 * schedules' DST rules (wall-time.ts): a time in a spring-forward gap is the first instant after it,
 * one in a fall-back overlap its first occurrence. `9:00` is `09:00`. Null when the text is not a
 * date and time that exist on the calendar.
 */
export function parseLocalDateTime(text: string, zone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T|\s+)(\d{1,2}:\d{2})$/.exec(text.trim());
  if (!match) return null;
  const date = parseLocalDate(match[1]!);
  const time = parseLocalTime(match[2]!.padStart(5, '0'));
  if (!date || !time) return null;
  return new Date(wallTimeToInstant(date, time, zone));
}
