import type { Queryable } from '../db/pool.js';

/** A maintenance window (table maintenance_windows, migrations/0012_alerts.sql). */
export interface MaintenanceWindow {
  id: number;
  service: string;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
  createdBy: string;
  /** When it ended early (`off`) or its end was handled; null while in force. */
  endedAt: Date | null;
  /** Who ended it early; null when it ran out. */
  endedBy: string | null;
}

interface WindowRow {
  id: number;
  service: string;
  starts_at: Date;
  ends_at: Date;
  reason: string | null;
  created_by: string;
  ended_at: Date | null;
  ended_by: string | null;
}

const COLUMNS = 'id, service, starts_at, ends_at, reason, created_by, ended_at, ended_by';

const toWindow = (r: WindowRow): MaintenanceWindow => ({
  id: r.id,
  service: r.service,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  reason: r.reason,
  createdBy: r.created_by,
  endedAt: r.ended_at,
  endedBy: r.ended_by,
});

export async function insertMaintenanceWindow(
  db: Queryable,
  w: { service: string; startsAt: Date; endsAt: Date; reason: string | null; createdBy: string },
): Promise<MaintenanceWindow> {
  const { rows } = await db.query<WindowRow>(
    `INSERT INTO maintenance_windows (service, starts_at, ends_at, reason, created_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [w.service, w.startsAt, w.endsAt, w.reason, w.createdBy],
  );
  return toWindow(rows[0]!);
}

/** The service's window in force (not ended), locked; null when there is none. */
export async function lockOpenWindow(db: Queryable, service: string): Promise<MaintenanceWindow | null> {
  const { rows } = await db.query<WindowRow>(
    `SELECT ${COLUMNS} FROM maintenance_windows WHERE service = $1 AND ended_at IS NULL
     ORDER BY id LIMIT 1 FOR UPDATE`,
    [service],
  );
  return rows[0] ? toWindow(rows[0]) : null;
}

export async function lockWindow(db: Queryable, id: number): Promise<MaintenanceWindow | null> {
  const { rows } = await db.query<WindowRow>(
    `SELECT ${COLUMNS} FROM maintenance_windows WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ? toWindow(rows[0]) : null;
}

export async function updateWindowEnd(
  db: Queryable,
  id: number,
  change: { endsAt: Date; reason: string | null },
): Promise<MaintenanceWindow> {
  const { rows } = await db.query<WindowRow>(
    `UPDATE maintenance_windows SET ends_at = $2, reason = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, change.endsAt, change.reason],
  );
  return toWindow(rows[0]!);
}

export async function markWindowEnded(
  db: Queryable,
  id: number,
  at: Date,
  by: string | null,
): Promise<MaintenanceWindow> {
  const { rows } = await db.query<WindowRow>(
    `UPDATE maintenance_windows SET ended_at = $2, ended_by = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, at, by],
  );
  return toWindow(rows[0]!);
}

/** Windows not ended, soonest end first: those in force, and overdue ones whose end is not handled yet. */
export async function listOpenWindows(db: Queryable): Promise<MaintenanceWindow[]> {
  const { rows } = await db.query<WindowRow>(
    `SELECT ${COLUMNS} FROM maintenance_windows WHERE ended_at IS NULL ORDER BY ends_at, id`,
  );
  return rows.map(toWindow);
}

/** Windows whose end is due (at or before `before`) and not handled: the reconciler's work. */
export async function listOverdueWindows(db: Queryable, before: Date): Promise<MaintenanceWindow[]> {
  const { rows } = await db.query<WindowRow>(
    `SELECT ${COLUMNS} FROM maintenance_windows WHERE ended_at IS NULL AND ends_at <= $1
     ORDER BY ends_at LIMIT 500`,
    [before],
  );
  return rows.map(toWindow);
}

/**
 * The service's groups opened during maintenance and still open, oldest first, locked: when the
 * window ends they stop being held, and the firing ones page.
 */
export async function releaseHeldGroups(
  db: Queryable,
  service: string,
): Promise<{ id: number; service: string; state: string }[]> {
  const { rows } = await db.query<{ id: number; service: string; state: string }>(
    `UPDATE alert_groups SET held = false, updated_at = now()
     WHERE id IN (SELECT id FROM alert_groups WHERE service = $1 AND held AND state <> 'resolved'
                  ORDER BY id FOR UPDATE)
     RETURNING id, service, state`,
    [service],
  );
  return rows.sort((a, b) => a.id - b.id);
}

/** Serializes the changes to one service's windows (start, `off`, the end timer) in a transaction. */
export async function lockService(db: Queryable, service: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`maintenance:${service}`]);
}

export async function windowService(db: Queryable, id: number): Promise<string | null> {
  const { rows } = await db.query<{ service: string }>(
    'SELECT service FROM maintenance_windows WHERE id = $1',
    [id],
  );
  return rows[0]?.service ?? null;
}

/**
 * Services with groups still held though no window is open for them (a group intake opened held
 * while the window was being ended, in a transaction that committed after the end): the reconciler
 * releases them, so nothing stays held forever.
 */
export async function listServicesHeldWithoutWindow(db: Queryable, before: Date): Promise<string[]> {
  const { rows } = await db.query<{ service: string }>(
    `SELECT DISTINCT g.service FROM alert_groups g
     WHERE g.held AND g.state <> 'resolved' AND g.updated_at <= $1
       AND NOT EXISTS (SELECT 1 FROM maintenance_windows w WHERE w.service = g.service AND w.ended_at IS NULL)
     LIMIT 100`,
    [before],
  );
  return rows.map((r) => r.service);
}
