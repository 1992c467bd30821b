import type { Queryable } from '../db/pool.js';
import type { OncallConfig, Schedule } from './oncall-config.js';

export interface StoredOverride {
  id: number;
  schedule: string;
  userId: string;
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
}

export async function insertOverride(
  db: Queryable,
  input: { schedule: string; userId: string; startsAt: Date; endsAt: Date; createdBy: string },
): Promise<StoredOverride> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO schedule_overrides (schedule, user_id, starts_at, ends_at, created_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [input.schedule, input.userId, input.startsAt, input.endsAt, input.createdBy],
  );
  return { id: rows[0]!.id, ...input };
}

type OverrideRow = {
  id: number;
  schedule: string;
  user_id: string;
  starts_at: Date;
  ends_at: Date;
  created_by: string;
};

const COLUMNS = 'id, schedule, user_id, starts_at, ends_at, created_by';

const toOverride = (r: OverrideRow): StoredOverride => ({
  id: Number(r.id),
  schedule: r.schedule,
  userId: r.user_id,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  createdBy: r.created_by,
});

/** Overrides that have not ended by `now`, oldest first (a later one wins over an earlier one). */
export async function listCurrentOverrides(db: Queryable, now: Date): Promise<StoredOverride[]> {
  const { rows } = await db.query<OverrideRow>(
    `SELECT ${COLUMNS} FROM schedule_overrides WHERE ends_at > $1 ORDER BY created_at, id`,
    [now],
  );
  return rows.map(toOverride);
}

/** An override that has not ended by `now`, locked until the transaction ends; null otherwise. */
export async function lockCurrentOverride(
  db: Queryable,
  id: number,
  now: Date,
): Promise<StoredOverride | null> {
  const { rows } = await db.query<OverrideRow>(
    `SELECT ${COLUMNS} FROM schedule_overrides WHERE id = $1 AND ends_at > $2 FOR UPDATE`,
    [id, now],
  );
  return rows[0] ? toOverride(rows[0]) : null;
}

/**
 * Cancels an override at `now`: one that has started ends now (its past stays on record until
 * retention removes it); one still to come is deleted.
 */
export async function cancelOverride(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query(
    `WITH ended AS (
       UPDATE schedule_overrides SET ends_at = $2 WHERE id = $1 AND starts_at < $2 AND ends_at > $2 RETURNING id
     )
     DELETE FROM schedule_overrides WHERE id = $1 AND starts_at >= $2`,
    [id, now],
  );
}

/** Deletes overrides that ended before `before`; returns how many. */
export async function deleteOverridesEndedBefore(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM schedule_overrides WHERE ends_at < $1', [before]);
  return rowCount ?? 0;
}

/** oncall.yaml's schedules with the overrides taken in Slack appended, so they win. */
export async function effectiveSchedules(
  db: Queryable,
  config: OncallConfig,
  now: Date,
): Promise<Record<string, Schedule>> {
  return withOverrides(config, await listCurrentOverrides(db, now));
}

/** oncall.yaml's schedules with `stored` (current overrides, oldest first) appended, so they win. */
export function withOverrides(config: OncallConfig, stored: StoredOverride[]): Record<string, Schedule> {
  if (stored.length === 0) return config.schedules;
  const result: Record<string, Schedule> = {};
  for (const [name, schedule] of Object.entries(config.schedules)) {
    const extra = stored
      .filter((o) => o.schedule === name)
      .map((o) => ({ user: o.userId, from: o.startsAt, to: o.endsAt }));
    result[name] = extra.length ? { ...schedule, overrides: [...schedule.overrides, ...extra] } : schedule;
  }
  return result;
}
