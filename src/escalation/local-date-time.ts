import { LOCAL_TIME_PATTERN } from './duration.js';
import { parseInstant } from './wall-time.js';

/** How a date and time are typed in commands: `2026-12-24 09:00` (or `2026-12-24T09:00`). */
export const LOCAL_DATE_TIME_EXAMPLE = '2026-12-24 09:00';

/**
 * A date and wall time a person typed in a command, read in their time zone (`zone`, IANA) as
 * oncall.yaml's local override times are (wall-time.ts `parseInstant`): a time in a spring-forward
 * gap is the first instant after it, one in a fall-back overlap its first occurrence. Stricter than
 * the file: minutes, no seconds, no offset; `9:00` is `09:00`. Null for anything else, or a date
 * that is not on the calendar.
 */
export function parseLocalDateTime(text: string, zone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T|\s+)(\d{1,2}:\d{2})$/.exec(text.trim());
  if (!match) return null;
  const time = match[2]!.padStart(5, '0');
  // luxon reads `24:00` as the next midnight; a person means a time of the day they typed.
  if (!LOCAL_TIME_PATTERN.test(time)) return null;
  const instant = parseInstant(`${match[1]}T${time}`, zone);
  return instant === null ? null : new Date(instant);
}
