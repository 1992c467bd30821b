/**
 * The human time notations of `oncall.yaml`: durations (`90s`, `5m`, `2h`, `1 day`, `1h 30m`), rotation
 * lengths (`daily`, `weekly`, `12 hours`, `2 weeks`), wall-clock times (`09:00`) and dates (`2026-11-02`).
 * The patterns are shared with the zod schema, so the JSON Schema editors see checks the same strings.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

const UNIT_WORDS: Record<string, keyof typeof UNIT_MS> = {
  // Milliseconds exist for tests and benchmarks (with paging.allow_fast_escalation).
  ms: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  wk: 'w',
  wks: 'w',
  week: 'w',
  weeks: 'w',
};

const UNIT = '(?:ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)';

/** One or more `<number> <unit>` parts: `90s`, `5m`, `1 day`, `1h 30m`. Months are refused: they vary. */
export const DURATION_PATTERN = new RegExp(`^\\d+ ?${UNIT}(?: ?\\d+ ?${UNIT})*$`);

/** Milliseconds of a duration string, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!DURATION_PATTERN.test(trimmed)) return null;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+) ?([a-z]+)/g)) {
    // DURATION_PATTERN admits only units that UNIT_WORDS holds.
    const unit = UNIT_WORDS[match[2]!]!;
    total += Number(match[1]) * UNIT_MS[unit];
  }
  return total;
}

/** `90s`, `5m`, `1h 30m`, `2d`: the shortest faithful rendering, for messages and the CLI. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * UNIT_MS[unit];
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join(' ');
}

export type RotationUnit = 'hour' | 'day' | 'week';

/**
 * How long each turn of a rotation lasts. Days and weeks are calendar units (the handoff stays at the same
 * local wall time, so a daily turn across a DST change lasts 23 or 25 hours); hours are absolute.
 */
export interface RotationLength {
  count: number;
  unit: RotationUnit;
}

export const ROTATION_LENGTH_PATTERN = /^(?:daily|weekly|[1-9]\d* ?(?:hours?|h|days?|d|weeks?|w))$/;

export function parseRotationLength(text: string): RotationLength | null {
  const trimmed = text.trim();
  if (!ROTATION_LENGTH_PATTERN.test(trimmed)) return null;
  if (trimmed === 'daily') return { count: 1, unit: 'day' };
  if (trimmed === 'weekly') return { count: 1, unit: 'week' };
  // Stryker disable next-line Regex: the pattern above already anchored the number at the start
  const match = /^(\d+) ?([a-z])/.exec(trimmed)!;
  const unit: RotationUnit = match[2] === 'h' ? 'hour' : match[2] === 'd' ? 'day' : 'week';
  return { count: Number(match[1]), unit };
}

export function formatRotationLength(length: RotationLength): string {
  if (length.count === 1 && length.unit !== 'hour') return length.unit === 'day' ? 'daily' : 'weekly';
  return `${length.count} ${length.unit}${length.count === 1 ? '' : 's'}`;
}

/** A wall-clock time in a schedule's zone. */
export interface LocalTime {
  hour: number;
  minute: number;
}

export const LOCAL_TIME_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

export function parseLocalTime(text: string): LocalTime | null {
  if (!LOCAL_TIME_PATTERN.test(text)) return null;
  return { hour: Number(text.slice(0, 2)), minute: Number(text.slice(3, 5)) };
}

export function formatLocalTime(time: LocalTime): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

/** A calendar date (no zone: it is read in the schedule's zone). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export const LOCAL_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
