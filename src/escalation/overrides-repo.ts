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

/** Overrides that have not ended by `now`, oldest first (a later one wins over an earlier one). */
export async function listCurrentOverrides(db: Queryable, now: Date): Promise<StoredOverride[]> {
  const { rows } = await db.query<{
    id: number;
    schedule: string;
    user_id: string;
    starts_at: Date;
    ends_at: Date;
    created_by: string;
  }>(
    `SELECT id, schedule, user_id, starts_at, ends_at, created_by FROM schedule_overrides
     WHERE ends_at > $1 ORDER BY created_at, id`,
    [now],
  );
  return rows.map((r) => ({
    id: r.id,
    schedule: r.schedule,
    userId: r.user_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    createdBy: r.created_by,
  }));
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
