import { createHash } from 'node:crypto';
import type { Schedule } from './oncall-config.js';
import { type Identity, names } from './override-access.js';
import { nextShifts, type OnCallShift, whoIsOnCall } from './schedule.js';

/**
 * The shifts a calendar feed shows (`GET /oncall/calendar/<token>.ics`), from the schedule resolver:
 * the stretch on call now, then every shift that starts within a year.
 *
 * Adjacent shifts of one person are merged into one event, except where a layer hands over to its own
 * next turn (a one-person rotation stays one event per turn) and where an override meets the rota.
 * Whether two neighbours merge depends on them alone, so every regeneration cuts the same events,
 * and an event's UID (schedule, person, start, override or rota) stays the same: calendar apps update
 * the event instead of adding a copy.
 */

export const FEED_HORIZON_MS = 365 * 86_400_000;

/**
 * Where a feed generated at `now` ends: a year ahead, on a whole minute, since calendar times have
 * whole seconds (an event cut a millisecond after a handoff would otherwise last no time at all).
 */
export function feedHorizon(now: Date, horizonMs = FEED_HORIZON_MS): number {
  return Math.floor((now.getTime() + horizonMs) / 60_000) * 60_000;
}

/** A guard against a feed no calendar app would load (a one-minute rotation over a year). */
export const MAX_FEED_EVENTS = 10_000;

/** How far back the event on call now is followed to its first shift (it only matters for its UID). */
const MAX_WALK_BACK = 500;

const BATCH = 200;

export interface FeedEvent {
  uid: string;
  schedule: string;
  /** Slack user id or email, as written in oncall.yaml (or the Slack id of an override taken in Slack). */
  user: string;
  start: Date;
  end: Date;
  /** An override (from oncall.yaml or Slack), not the rota. */
  override: boolean;
}

/** Whether `b`, starting where `a` ends, continues `a`'s event. */
export function continues(a: OnCallShift, b: OnCallShift): boolean {
  if (a.user !== b.user || a.end.getTime() !== b.start.getTime()) return false;
  if (a.source.kind === 'override' || b.source.kind === 'override') return a.source.kind === b.source.kind;
  return a.source.layer !== b.source.layer || a.source.turn === b.source.turn;
}

/** Every shift of `schedule` that runs at `from` or starts before `until`, in order. */
export function shiftsUntil(schedule: Schedule, from: Date, until: number): OnCallShift[] {
  const current = whoIsOnCall(schedule, from);
  const shifts = current ? [current] : [];
  let cursor = from;
  while (shifts.length < MAX_FEED_EVENTS) {
    const batch = nextShifts(schedule, cursor, BATCH);
    for (const shift of batch) {
      if (shift.start.getTime() >= until) return shifts;
      shifts.push(shift);
    }
    if (batch.length < BATCH) return shifts;
    cursor = batch.at(-1)!.start;
  }
  return shifts.slice(0, MAX_FEED_EVENTS);
}

/** The shifts before `first` that its event continues, earliest first. */
function earlierPieces(schedule: Schedule, first: OnCallShift): OnCallShift[] {
  const pieces: OnCallShift[] = [];
  let head = first;
  for (let step = 0; step < MAX_WALK_BACK; step++) {
    const before = whoIsOnCall(schedule, new Date(head.start.getTime() - 1));
    if (!before || !continues(before, head)) break;
    pieces.unshift(before);
    head = before;
  }
  return pieces;
}

export function feedUid(schedule: string, user: string, start: Date, override: boolean): string {
  const key = [schedule, user, start.toISOString(), override ? 'override' : 'rota'].join('\n');
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}@incident-bot`;
}

/** The events of one schedule, from the one on call at `now` to those starting within `horizonMs`. */
export function scheduleEvents(schedule: Schedule, now: Date, horizonMs = FEED_HORIZON_MS): FeedEvent[] {
  const until = feedHorizon(now, horizonMs);
  const shifts = shiftsUntil(schedule, now, until);
  if (shifts.length === 0) return [];
  const pieces = [...earlierPieces(schedule, shifts[0]!), ...shifts];
  const events: FeedEvent[] = [];
  let open: { first: OnCallShift; last: OnCallShift } | null = null;
  const close = () => {
    if (!open) return;
    const { first, last } = open;
    const override = first.source.kind === 'override';
    events.push({
      uid: feedUid(schedule.name, first.user, first.start, override),
      schedule: schedule.name,
      user: first.user,
      start: first.start,
      // An event still running at the horizon ends there; the next regeneration extends it.
      end: new Date(Math.min(last.end.getTime(), until)),
      override,
    });
  };
  for (const piece of pieces) {
    if (open && continues(open.last, piece)) {
      open.last = piece;
      continue;
    }
    close();
    open = { first: piece, last: piece };
  }
  close();
  return events;
}

/** One person's events on every schedule, in order of start. */
export function personalEvents(
  schedules: Record<string, Schedule>,
  owner: Identity,
  now: Date,
  horizonMs = FEED_HORIZON_MS,
): FeedEvent[] {
  return Object.values(schedules)
    .flatMap((schedule) => scheduleEvents(schedule, now, horizonMs))
    .filter((event) => names(event.user, owner))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}
