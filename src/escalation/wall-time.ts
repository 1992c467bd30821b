import { DateTime, IANAZone } from 'luxon';
import type { LocalDate, LocalTime } from './duration.js';

/**
 * Local wall time ↔ instants, all through luxon: nothing here adds or subtracts UTC offsets by hand.
 *
 * The two DST rules of schedules:
 * - a wall time inside a spring-forward gap (02:30 in New York on 2026-03-08) names the first instant
 *   after the gap (03:00 EDT), not luxon's default of shifting by the gap length (03:30 EDT);
 * - a wall time inside a fall-back overlap (01:30 in New York on 2026-11-01) names its first occurrence
 *   (01:30 EDT), where luxon would pick the second.
 */

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function parseLocalDate(text: string): LocalDate | null {
  const date = DateTime.fromISO(text, { zone: 'UTC' });
  // luxon also reads `+002026-11-02` (an expanded year); oncall.yaml dates are plain.
  if (!date.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  return { year: date.year, month: date.month, day: date.day };
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return DateTime.fromObject(date, { zone: 'UTC' }).weekday;
}

/**
 * Calendar arithmetic on dates alone (no zone, so no DST), as luxon does it on UTC dates, on the
 * proleptic Gregorian calendar of `Date`'s UTC fields: no DateTime is built, as schedules call this
 * for every day they look at (a calendar feed's year of shifts spent most of its time here).
 */
export function addDays(date: LocalDate, days: number): LocalDate {
  const next = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  next.setUTCFullYear(date.year, date.month - 1, date.day + days);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** Whole calendar days from `from` to `to`. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round(
    DateTime.fromObject(to, { zone: 'UTC' }).diff(DateTime.fromObject(from, { zone: 'UTC' }), 'days').days,
  );
}

/** The calendar date an instant falls on in `zone`. */
export function localDateOf(instant: number, zone: string): LocalDate {
  const local = DateTime.fromMillis(instant, { zone });
  return { year: local.year, month: local.month, day: local.day };
}

/** The instant (epoch ms) that a local date and wall time name in `zone`, with the gap and overlap rules above. */
export function wallTimeToInstant(date: LocalDate, time: LocalTime, zone: string): number {
  const local = DateTime.fromObject({ ...date, hour: time.hour, minute: time.minute }, { zone });
  // luxon moves a missing wall time forward by the gap (at most a day: Apia skipped 2011-12-30), so a
  // different hour, minute or day of the month means it was missing.
  const inGap = local.hour !== time.hour || local.minute !== time.minute || local.day !== date.day;
  if (inGap) return startOfCurrentOffset(local);
  const occurrences = local.getPossibleOffsets();
  if (occurrences.length > 1) return Math.min(...occurrences.map((occurrence) => occurrence.toMillis()));
  return local.toMillis();
}

/**
 * The transition instant that began `after`'s UTC offset, looked for in the preceding two days. Used for
 * gaps: luxon placed the missing wall time past the transition, and the transition is the first valid
 * instant after the gap. Binary search over luxon's offsets, to the millisecond.
 */
function startOfCurrentOffset(after: DateTime): number {
  const offset = after.offset;
  const zone = after.zoneName!;
  let hi = after.toMillis();
  let lo = hi - 2 * 86_400_000;
  // Stryker disable next-line all: a guard; luxon moves a wall time only past a transition just before it
  if (DateTime.fromMillis(lo, { zone }).offset === offset) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (DateTime.fromMillis(mid, { zone }).offset === offset) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Renders an instant in `zone` for people: `Mon 9 Nov 2026 09:00 EST`. */
export function formatInZone(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat('ccc d LLL yyyy HH:mm ZZZZ', { locale: 'en-US' });
}

/**
 * Parses an override boundary: an ISO instant with `Z` or an offset, or a local date-time without one,
 * read as wall time in the schedule's zone (with the same gap and overlap rules).
 */
export function parseInstant(text: string, zone: string): number | null {
  // Read in UTC: a time with an offset keeps its instant, one without keeps its wall-clock fields.
  const parsed = DateTime.fromISO(text, { zone: 'UTC' });
  if (!parsed.isValid) return null;
  // An offset follows the time: `Z`, `+05`, `+0530` or `+05:30` (a date alone never has one).
  // Stryker disable next-line Regex: luxon accepts no text with an offset-like part before its end
  if (/T[\d:.,]+(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(text)) return parsed.toMillis();
  const instant = wallTimeToInstant(
    { year: parsed.year, month: parsed.month, day: parsed.day },
    { hour: parsed.hour, minute: parsed.minute },
    zone,
  );
  // Seconds in a local override time are rare; keep them rather than drop them silently.
  return instant + parsed.second * 1000 + parsed.millisecond;
}
