import type { Queryable } from '../db/pool.js';

/**
 * A heartbeat (table heartbeats, migrations/0012_alerts.sql). Once the miss of its current epoch has
 * raised its alert, `due_at` is Postgres's `'infinity'` (never due again) until the next check-in
 * re-arms it: the timer and the reconciler then leave it alone.
 */
export interface HeartbeatRow {
  service: string;
  name: string;
  lastCheckinAt: Date;
  /** When it is missed; null once its miss was raised. */
  dueAt: Date | null;
  epoch: number;
}

interface Row {
  service: string;
  name: string;
  last_checkin_at: Date;
  due_at: Date | null;
  epoch: number;
}

const COLUMNS =
  "service, name, last_checkin_at, CASE WHEN due_at = 'infinity' THEN NULL ELSE due_at END AS due_at, epoch";

const toHeartbeat = (r: Row): HeartbeatRow => ({
  service: r.service,
  name: r.name,
  lastCheckinAt: r.last_checkin_at,
  dueAt: r.due_at,
  epoch: r.epoch,
});

/** A check-in: arms the heartbeat (first time) or re-arms it with a new epoch, due at `dueAt`. */
export async function recordCheckIn(
  db: Queryable,
  c: { service: string; name: string; at: Date; dueAt: Date },
): Promise<HeartbeatRow> {
  const { rows } = await db.query<Row>(
    `INSERT INTO heartbeats (service, name, last_checkin_at, due_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (service, name) DO UPDATE SET last_checkin_at = EXCLUDED.last_checkin_at,
       due_at = EXCLUDED.due_at, epoch = heartbeats.epoch + 1
     RETURNING ${COLUMNS}`,
    [c.service, c.name, c.at, c.dueAt],
  );
  return toHeartbeat(rows[0]!);
}

export async function lockHeartbeat(
  db: Queryable,
  service: string,
  name: string,
): Promise<HeartbeatRow | null> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM heartbeats WHERE service = $1 AND name = $2 FOR UPDATE`,
    [service, name],
  );
  return rows[0] ? toHeartbeat(rows[0]) : null;
}

/** Its miss was raised: not due again until a check-in re-arms it. */
export async function markHeartbeatMissed(db: Queryable, service: string, name: string): Promise<void> {
  await db.query("UPDATE heartbeats SET due_at = 'infinity' WHERE service = $1 AND name = $2", [
    service,
    name,
  ]);
}

/** Armed heartbeats past their due time whose miss is not raised yet: the reconciler's work. */
export async function listOverdueHeartbeats(db: Queryable, before: Date): Promise<HeartbeatRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM heartbeats WHERE due_at <= $1 ORDER BY due_at LIMIT 500`,
    [before],
  );
  return rows.map(toHeartbeat);
}

/** Whether the service has an open (not resolved) alert with this dedup key. */
export async function hasOpenAlert(db: Queryable, service: string, dedupKey: string): Promise<boolean> {
  const { rows } = await db.query(
    "SELECT 1 FROM alerts WHERE service = $1 AND dedup_key = $2 AND status <> 'resolved' LIMIT 1",
    [service, dedupKey],
  );
  return rows.length > 0;
}
