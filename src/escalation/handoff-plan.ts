import type { Schedule } from './oncall-config.js';
import { nextShifts, whoIsOnCall } from './schedule.js';

/**
 * Handoffs: the instants at which who is on call on a schedule changes (a rotation's turn, a layer's
 * window opening or closing, an override starting or ending), whatever the source. Two adjacent shifts
 * of the same person are no handoff. Pure: the handoff service (handoff-service.ts) turns a plan into
 * timers and effects.
 */

export interface Handoff {
  at: Date;
  /** Who was on call just before (as written in oncall.yaml, or a Slack id from an override); null: nobody. */
  from: string | null;
  /** Who is on call from `at`; null: nobody. */
  to: string | null;
  /** When `to` hands over in turn; null when that is beyond the look-ahead. */
  until: Date | null;
}

/** How far ahead handoffs are looked for. */
export const HANDOFF_HORIZON_MS = 35 * 86_400_000;
/** What a fire does about a missed handoff older than this: only the user group is put right. */
export const STALE_AFTER_MS = 3_600_000;
/** However long a fire was late, it looks back no further than this (the start-up sync covers the rest). */
const LOOKBACK_MS = 86_400_000;
/** Enough for hour-long rotations over the look-back and look-ahead. */
const MAX_HANDOFFS = 2000;

const userAt = (schedule: Schedule, t: number): string | null =>
  whoIsOnCall(schedule, new Date(t))?.user ?? null;

/** The first instant after `t` at which the person on call (`user` at t) changes, up to `horizon`. */
function changeAfter(schedule: Schedule, t: number, user: string | null, horizon: number): number | null {
  let at = t;
  for (let step = 0; step < MAX_HANDOFFS; step++) {
    const shift = whoIsOnCall(schedule, new Date(at));
    const boundary = shift
      ? shift.end.getTime()
      : (nextShifts(schedule, new Date(at), 1)[0]?.start.getTime() ?? null);
    if (boundary === null || boundary > horizon) return null;
    if (userAt(schedule, boundary) !== user) return boundary;
    at = boundary;
  }
  return null;
}

/** The handoffs in (after, until], in order. */
export function handoffsBetween(schedule: Schedule, after: Date, until: Date): Handoff[] {
  const end = until.getTime();
  const handoffs: Handoff[] = [];
  let t = after.getTime();
  let user = userAt(schedule, t);
  while (handoffs.length < MAX_HANDOFFS) {
    const at = changeAfter(schedule, t, user, end);
    if (at === null) break;
    const to = userAt(schedule, at);
    const next = changeAfter(schedule, at, to, at + HANDOFF_HORIZON_MS);
    handoffs.push({ at: new Date(at), from: user, to, until: next === null ? null : new Date(next) });
    t = at;
    user = to;
  }
  return handoffs;
}

/** Who is on call on `schedule` at `at`, as written; null: nobody. */
export function onCallAt(schedule: Schedule, at: Date): string | null {
  return userAt(schedule, at.getTime());
}

/** When the stretch of whoever is on call at `at` began (merging adjacent shifts of the same person). */
export function stretchStart(schedule: Schedule, at: Date): Date | null {
  let shift = whoIsOnCall(schedule, at);
  if (!shift) return null;
  for (let step = 0; step < MAX_HANDOFFS; step++) {
    const before = whoIsOnCall(schedule, new Date(shift.start.getTime() - 1));
    if (!before || before.user !== shift.user || before.end.getTime() !== shift.start.getTime()) break;
    shift = before;
  }
  return shift.start;
}

export interface HandoffWork {
  /** Handoffs in the window, oldest first: the newest one sets the user group. */
  handoffs: Handoff[];
  /** Of those, the ones recent enough for messages (a fire that ran hours late tells nobody stale news). */
  announce: Handoff[];
  /** Handoffs whose advance notice falls in the window (their shift has not started yet). */
  forewarn: Handoff[];
  /** When something is next due (with nothing ahead within the horizon, a look again before it ends). */
  nextAt: Date;
}

/**
 * What a timer fire at `now` has to do, having handled everything up to `processedUntil`: the handoffs
 * and advance notices that fell due in between, and when to wake next.
 */
export function planHandoffWork(
  schedule: Schedule,
  options: { processedUntil: Date; now: Date; notifyBeforeMs: number | null },
): HandoffWork {
  const now = options.now.getTime();
  const notice = options.notifyBeforeMs ?? 0;
  const from = Math.max(options.processedUntil.getTime(), now - LOOKBACK_MS);
  const ahead = handoffsBetween(schedule, new Date(Math.min(from, now)), new Date(now + Math.max(notice, 1)));
  const due = ahead.filter((h) => h.at.getTime() <= now);
  const upcoming = ahead.filter((h) => h.at.getTime() > now);
  const forewarn =
    options.notifyBeforeMs === null
      ? []
      : upcoming.filter((h) => {
          const noticeAt = h.at.getTime() - notice;
          return h.to !== null && noticeAt > from && noticeAt <= now && noticeAt > now - STALE_AFTER_MS;
        });
  const candidates: number[] = [];
  for (const h of upcoming) {
    candidates.push(h.at.getTime());
    if (options.notifyBeforeMs !== null && h.to !== null && h.at.getTime() - notice > now) {
      candidates.push(h.at.getTime() - notice);
    }
  }
  let nextAt = candidates.length > 0 ? Math.min(...candidates) : null;
  if (nextAt === null) {
    const [next] = handoffsBetween(schedule, new Date(now), new Date(now + HANDOFF_HORIZON_MS));
    // Nothing within the horizon: look again before it runs out.
    nextAt = next ? next.at.getTime() : now + HANDOFF_HORIZON_MS - 7 * 86_400_000;
    if (next && options.notifyBeforeMs !== null && next.to !== null && next.at.getTime() - notice > now) {
      nextAt = next.at.getTime() - notice;
    }
  }
  return {
    handoffs: due,
    announce: due.filter((h) => h.at.getTime() > now - STALE_AFTER_MS),
    forewarn,
    nextAt: new Date(nextAt),
  };
}
