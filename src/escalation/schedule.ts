import type { LocalDate, LocalTime } from './duration.js';
import type { IsoWeekday, Schedule, ScheduleLayer } from './oncall-config.js';
import { addDays, daysBetween, localDateOf, wallTimeToInstant, weekdayOf } from './wall-time.js';

/**
 * Who is on call on a schedule, at any instant, and the handoffs to come (research/escalation-bullmq.md §5).
 *
 * - A layer's turn k starts at its k-th handoff after `rotation.start`. Day and week rotations hand off at
 *   the same local wall time (so a daily turn across a DST change lasts 23 or 25 hours); hour rotations
 *   are absolute. A handoff in a spring-forward gap happens at the first instant after the gap; one in a
 *   fall-back overlap at the first occurrence (wall-time.ts). Before its first handoff a layer has nobody.
 * - Restrictions limit when a layer has someone: windows in the schedule's zone, each belonging to the
 *   day it starts on (fri 22:00–06:00 runs into Saturday morning).
 * - A later layer wins over an earlier one wherever both have someone; overrides win over every layer,
 *   and a later override over an earlier one.
 *
 * A shift is a stretch of the final schedule with one person from one source (a layer's turn, or an
 * override), clipped to where that source is not beaten by a higher one. Participants are returned as
 * written: resolving emails to Slack ids happens elsewhere.
 */

export type ShiftSource =
  | { kind: 'layer'; layer: number; layerName: string; turn: number }
  | { kind: 'override'; override: number };

export interface OnCallShift {
  /** Slack user id or email, as written in the file. */
  user: string;
  /** When this person took over (a handoff, the end of a higher layer's window, or an override's start). */
  start: Date;
  /** When they hand over. */
  end: Date;
  source: ShiftSource;
}

/**
 * The last shift found per schedule: a shift is one person from start to end by definition, so any
 * instant inside it has the same answer. Every level that pages a schedule asks this, mostly within
 * the same shift. Schedules are never changed once built (overrides make new ones).
 */
const lastShift = new WeakMap<Schedule, OnCallShift>();

/** The person on call on `schedule` at `at`, or null when nobody is (the escalation then moves on). */
export function whoIsOnCall(schedule: Schedule, at: Date): OnCallShift | null {
  const t = at.getTime();
  const known = lastShift.get(schedule);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the cache only saves work; a miss resolves the same shift
  if (known && known.start.getTime() <= t && t < known.end.getTime()) return { ...known };
  const shift = resolve(sourcesOf(schedule), t);
  // Stryker disable next-line ConditionalExpression: caching every answer or none changes only the work done
  if (shift) lastShift.set(schedule, shift);
  return shift && { ...shift };
}

/**
 * The next `count` shifts that start after `from` (the handoffs to come), in order. Gaps with nobody on
 * call are skipped: a shift may start later than the previous one ended.
 */
export function nextShifts(schedule: Schedule, from: Date, count: number): OnCallShift[] {
  const sources = sourcesOf(schedule);
  const shifts: OnCallShift[] = [];
  let t = from.getTime();
  // Every step moves t forward to a shift's end or to the next covered instant, and shifts and gaps
  // alternate, so this bound is never the reason to stop when shifts remain.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: a safety bound; the loop ends on count or when nothing comes
  for (let step = 0; shifts.length < count && step < 2 * count + 2; step++) {
    const shift = resolve(sources, t);
    if (shift !== null) {
      if (shift.start.getTime() > from.getTime()) shifts.push(shift);
      t = shift.end.getTime();
      continue;
    }
    const next = min(sources.map((source) => source.nextStart(t)));
    if (next === null) break;
    t = next;
  }
  return shifts;
}

// ---------------------------------------------------------------------------------------------------

interface Interval {
  start: number;
  end: number;
}

/** One layer or override: when it has someone on call. */
interface Source {
  /** Who it puts on call at t, and the stretch of its own (turn ∩ window) around t; null if nobody. */
  at(t: number): { user: string; interval: Interval; source: ShiftSource } | null;
  /** First instant ≥ t at which it has someone, or null if never. */
  nextStart(t: number): number | null;
  /** For a t it does not cover: when its last coverage before t ended, or null. */
  lastEnd(t: number): number | null;
}

function resolve(sources: Source[], t: number): OnCallShift | null {
  for (let index = sources.length - 1; index >= 0; index--) {
    const found = sources[index]!.at(t);
    if (found === null) continue;
    let { start, end } = found.interval;
    for (const higher of sources.slice(index + 1)) {
      const next = higher.nextStart(t);
      // Stryker disable next-line EqualityOperator: next === end leaves end as it is
      if (next !== null && next < end) end = next;
      const last = higher.lastEnd(t);
      // Stryker disable next-line EqualityOperator: last === start leaves start as it is
      if (last !== null && last > start) start = last;
    }
    return { user: found.user, start: new Date(start), end: new Date(end), source: found.source };
  }
  return null;
}

/**
 * The sources of a schedule, built once: each layer caches the restriction windows of the days it was
 * asked about, so a calendar feed's year of shifts does not compute them again for every shift.
 */
const sourcesBySchedule = new WeakMap<Schedule, Source[]>();

function sourcesOf(schedule: Schedule): Source[] {
  let sources = sourcesBySchedule.get(schedule);
  // Stryker disable next-line ConditionalExpression: the cache only saves work; fresh sources answer the same
  if (!sources) {
    sources = buildSources(schedule);
    sourcesBySchedule.set(schedule, sources);
  }
  return sources;
}

function buildSources(schedule: Schedule): Source[] {
  return [
    ...schedule.layers.map((layer, index) => layerSource(layer, index, schedule.timezone)),
    ...schedule.overrides.map((override, index): Source => {
      const from = override.from.getTime();
      const to = override.to.getTime();
      return {
        at: (t) =>
          t >= from && t < to
            ? {
                user: override.user,
                interval: { start: from, end: to },
                source: { kind: 'override', override: index },
              }
            : null,
        // Stryker disable next-line EqualityOperator,ConditionalExpression: at t === from both give from; inside the override it answers itself, so this is never asked
        nextStart: (t) => (t < from ? from : t < to ? t : null),
        lastEnd: (t) => (t >= to ? to : null),
      };
    }),
  ];
}

function minutesOf(time: LocalTime): number {
  return time.hour * 60 + time.minute;
}

function min(values: (number | null)[]): number | null {
  let best: number | null = null;
  for (const value of values) if (value !== null && (best === null || value < best)) best = value;
  return best;
}

/** Days of restriction windows looked at around an instant; windows repeat weekly, so 9 is enough. */
const WINDOW_REACH_DAYS = 9;

function layerSource(layer: ScheduleLayer, layerIndex: number, zone: string): Source {
  const { count, unit } = layer.rotation.length;
  const { start, handoff } = layer.rotation;
  const first = wallTimeToInstant(start, handoff, zone);
  const periodDays = unit === 'week' ? 7 * count : count;
  const periodMs = count * 3_600_000;

  /** The instant of the k-th handoff (k = 0 is the start), found by calendar steps from the start date. */
  const handoffAt = (k: number): number =>
    unit === 'hour' ? first + k * periodMs : wallTimeToInstant(addDays(start, k * periodDays), handoff, zone);

  /** The turn running at t (t ≥ first): jump by whole calendar periods, then settle the DST-shifted edge. */
  const turnAt = (t: number): number => {
    // Stryker disable next-line ConditionalExpression,StringLiteral: for hours the calendar jump below is only a poorer first guess that the loops settle
    if (unit === 'hour') return Math.floor((t - first) / periodMs);
    let k = Math.max(0, Math.floor(daysBetween(start, localDateOf(t, zone)) / periodDays));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: these only take more steps to the same turn
    while (k > 0 && handoffAt(k) > t) k--;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: the jump (whole periods between local dates) never lands below the running turn; a guard
    while (handoffAt(k + 1) <= t) k++;
    return k;
  };

  /** The restriction windows that start on one local day, as instants (cached: neighbours share days). */
  const windowsByDay = new Map<string, Interval[]>();
  const windowsStartingOn = (day: LocalDate): Interval[] => {
    const dayKey = `${day.year}-${day.month}-${day.day}`;
    let windows = windowsByDay.get(dayKey);
    // Stryker disable next-line ConditionalExpression: the per-day cache only saves work
    if (windows === undefined) {
      windows = [];
      const weekday = weekdayOf(day) as IsoWeekday;
      for (const restriction of layer.restrictions) {
        if (!restriction.days.includes(weekday)) continue;
        const wraps = minutesOf(restriction.to) <= minutesOf(restriction.from);
        const start = wallTimeToInstant(day, restriction.from, zone);
        const end = wallTimeToInstant(wraps ? addDays(day, 1) : day, restriction.to, zone);
        // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty window (both ends in one DST gap) covers no instant either way
        if (end > start) windows.push({ start, end });
      }
      windowsByDay.set(dayKey, windows);
    }
    return windows;
  };

  /**
   * Restriction windows starting on the local days around t, merged where they touch, in order. `edge`
   * marks a run that includes a window from the first or last day looked at: such a run may go on
   * beyond what was looked at.
   */
  const windowsAround = (
    t: number,
    daysBefore: number,
    daysAfter: number,
  ): (Interval & { edge: boolean })[] => {
    const today = localDateOf(t, zone);
    const windows: (Interval & { edge: boolean })[] = [];
    for (let offset = -daysBefore; offset <= daysAfter; offset++) {
      const edge = offset === -daysBefore || offset === daysAfter;
      for (const window of windowsStartingOn(addDays(today, offset))) windows.push({ ...window, edge });
    }
    windows.sort((a, b) => a.start - b.start);
    const merged: (Interval & { edge: boolean })[] = [];
    for (const window of windows) {
      const last = merged.at(-1);
      if (last !== undefined && window.start <= last.end) {
        last.end = Math.max(last.end, window.end);
        last.edge ||= window.edge;
      } else {
        merged.push({ ...window });
      }
    }
    return merged;
  };

  /** The restriction window run containing t, looking only as far as needed. */
  const windowContaining = (t: number): (Interval & { edge: boolean }) | undefined => {
    // Windows last at most a day (25 hours across DST), so a run that reaches no further than the days
    // next to t is found whole by looking two days either side; a longer run needs the wide look.
    const near = windowsAround(t, 2, 2).find((w) => w.start <= t && t < w.end);
    if (near === undefined || !near.edge) return near;
    return windowsAround(t, WINDOW_REACH_DAYS, WINDOW_REACH_DAYS).find((w) => w.start <= t && t < w.end);
  };

  /** The coverage interval containing t, or null; before the first handoff there is none. */
  const coverageAt = (t: number): Interval | null => {
    if (t < first) return null;
    if (layer.restrictions.length === 0) return { start: first, end: Number.POSITIVE_INFINITY };
    const window = windowContaining(t);
    if (window === undefined) return null;
    // A run reaching from t to a window 9 days away covers a whole week of wall time without a break,
    // and restrictions repeat weekly: it is continuous for ever.
    if (window.edge) return { start: first, end: Number.POSITIVE_INFINITY };
    return { start: Math.max(window.start, first), end: window.end };
  };

  return {
    at: (t) => {
      const coverage = coverageAt(t);
      if (coverage === null) return null;
      const turn = turnAt(t);
      return {
        user: layer.participants[turn % layer.participants.length]!,
        interval: {
          start: Math.max(handoffAt(turn), coverage.start),
          end: Math.min(handoffAt(turn + 1), coverage.end),
        },
        source: { kind: 'layer', layer: layerIndex, layerName: layer.name, turn },
      };
    },
    nextStart: (t) => {
      const from = Math.max(t, first);
      if (coverageAt(from) !== null) return from;
      // Some window starts within any 8 days, as every restriction names at least one weekday.
      // Stryker disable next-line EqualityOperator: from is not covered, so no window starts at from
      const upcoming = windowsAround(from, 1, 8).find((w) => w.start > from);
      // Stryker disable next-line ConditionalExpression: some window starts within any 8 days (a restriction names at least one weekday)
      return upcoming === undefined ? null : upcoming.start;
    },
    lastEnd: (t) => {
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a shortcut; the filter below finds nothing in these cases too
      if (t <= first || layer.restrictions.length === 0) return null;
      const past = windowsAround(t, 8, 0).filter((w) => w.end <= t && w.end > first);
      return past.length === 0 ? null : past.at(-1)!.end;
    },
  };
}
