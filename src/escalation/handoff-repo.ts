import type { Queryable } from '../db/pool.js';

/** A schedule's handoff timer (migration 0015): the row is the truth, BullMQ only wakes the worker. */
export interface HandoffTimer {
  schedule: string;
  epoch: number;
  nextAt: Date | null;
  processedUntil: Date;
}

/** What a handoff may cause, each at most once per (schedule, handoff instant). */
export type HandoffAction = 'usergroup' | 'notice_before' | 'notice_start' | 'channel_message';

type TimerRow = { schedule: string; epoch: number; next_at: Date | null; processed_until: Date };
const toTimer = (r: TimerRow): HandoffTimer => ({
  schedule: r.schedule,
  epoch: r.epoch,
  nextAt: r.next_at,
  processedUntil: r.processed_until,
});
const RETURNING = 'RETURNING schedule, epoch, next_at, processed_until';

/** The timer of `schedule`, locked until the transaction ends; null when there is none. */
export async function lockHandoffTimer(db: Queryable, schedule: string): Promise<HandoffTimer | null> {
  const { rows } = await db.query<TimerRow>(
    'SELECT schedule, epoch, next_at, processed_until FROM handoff_timers WHERE schedule = $1 FOR UPDATE',
    [schedule],
  );
  return rows[0] ? toTimer(rows[0]) : null;
}

/**
 * Re-plans the timers of `schedules` to fire at `now` (a new one handles nothing before `now`); the
 * epoch moves on, so jobs planned before are no-ops. A change at `now` (an override placed or
 * cancelled) is looked at again even if a fire that did not see it yet has handled `now` already:
 * what was done before is recorded, so looking again repeats nothing.
 */
export async function replanHandoffTimers(
  db: Queryable,
  schedules: string[],
  now: Date,
): Promise<HandoffTimer[]> {
  if (schedules.length === 0) return [];
  const { rows } = await db.query<TimerRow>(
    `INSERT INTO handoff_timers (schedule, next_at, processed_until)
     SELECT name, $2, $2 FROM unnest($1::text[]) AS name
     ON CONFLICT (schedule) DO UPDATE SET epoch = handoff_timers.epoch + 1, next_at = $2, updated_at = now(),
       processed_until = least(handoff_timers.processed_until, $2 - interval '1 millisecond')
     ${RETURNING}`,
    [schedules, now],
  );
  return rows.map(toTimer);
}

/** After a fire: the next instant to look at, everything up to `processedUntil` handled, a new epoch. */
export async function advanceHandoffTimer(
  db: Queryable,
  schedule: string,
  next: { nextAt: Date | null; processedUntil: Date },
): Promise<HandoffTimer> {
  const { rows } = await db.query<TimerRow>(
    `UPDATE handoff_timers SET epoch = epoch + 1, next_at = $2, processed_until = $3, updated_at = now()
     WHERE schedule = $1 ${RETURNING}`,
    [schedule, next.nextAt, next.processedUntil],
  );
  return toTimer(rows[0]!);
}

/** Forgets timers of schedules no longer in oncall.yaml. */
export async function deleteHandoffTimersExcept(db: Queryable, schedules: string[]): Promise<void> {
  await db.query('DELETE FROM handoff_timers WHERE NOT (schedule = ANY($1::text[]))', [schedules]);
}

/** Timers whose next instant passed before `before`: their job may be lost (the reconciler wakes them). */
export async function listOverdueHandoffTimers(db: Queryable, before: Date): Promise<HandoffTimer[]> {
  const { rows } = await db.query<TimerRow>(
    'SELECT schedule, epoch, next_at, processed_until FROM handoff_timers WHERE next_at <= $1',
    [before],
  );
  return rows.map(toTimer);
}

/** Records `action` for the handoff at `at`; false when it was recorded before (it is not done twice). */
export async function recordHandoffAction(
  db: Queryable,
  schedule: string,
  at: Date,
  action: HandoffAction,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO handoff_actions (schedule, handoff_at, action) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [schedule, at, action],
  );
  return rowCount === 1;
}

/** Incidents declared in [since, until) that paged `schedule`, and how many of them are still open. */
export async function countScheduleIncidents(
  db: Queryable,
  schedule: string,
  since: Date,
  until: Date,
): Promise<{ total: number; open: number }> {
  const { rows } = await db.query<{ total: string; open: string }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE i.status NOT IN ('resolved', 'closed')) AS open
     FROM incidents i
     WHERE i.declared_at >= $2 AND i.declared_at < $3
       AND EXISTS (SELECT 1 FROM pages p WHERE p.incident_id = i.id AND p.via = $1)`,
    [`schedule:${schedule}`, since, until],
  );
  return { total: Number(rows[0]!.total), open: Number(rows[0]!.open) };
}
