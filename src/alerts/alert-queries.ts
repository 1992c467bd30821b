import type { Queryable } from '../db/pool.js';
import type { Severity } from '../incidents/incident-types.js';
import type { AlertStatus } from './alert-types.js';

/** An open alert as `/incident alerts` lists it. */
export interface OpenAlert {
  id: number;
  service: string;
  title: string;
  severity: Severity;
  count: number;
  firstSeenAt: Date;
  status: Exclude<AlertStatus, 'resolved'>;
  /** A Slack user id, or the source's name ("PagerDuty Events API"); null when not acknowledged. */
  acknowledgedBy: string | null;
  /** Opened during a maintenance window: recorded, not paging. */
  held: boolean;
}

interface Row {
  id: number;
  service: string;
  title: string;
  severity: Severity;
  count: number;
  first_seen_at: Date;
  status: Exclude<AlertStatus, 'resolved'>;
  acknowledged_by: string | null;
  held: boolean;
}

/** At most this many rows are read; the view says how many more there are. */
export const MAX_OPEN_ALERTS = 200;

/**
 * Open alerts, per service then oldest first, with their group's maintenance hold, in one query;
 * `total` counts them all.
 */
export async function listOpenAlerts(db: Queryable): Promise<{ alerts: OpenAlert[]; total: number }> {
  const { rows } = await db.query<Row & { total: number }>(
    `SELECT a.id, a.service, a.title, a.severity, a.count, a.first_seen_at, a.status,
            coalesce(a.acknowledged_by, g.acknowledged_by) AS acknowledged_by, g.held,
            count(*) OVER ()::int AS total
     FROM alerts a JOIN alert_groups g ON g.id = a.alert_group_id
     WHERE a.status <> 'resolved'
     ORDER BY a.service, a.first_seen_at, a.id LIMIT $1`,
    [MAX_OPEN_ALERTS],
  );
  return {
    total: rows[0]?.total ?? 0,
    alerts: rows.map((r) => ({
      id: r.id,
      service: r.service,
      title: r.title,
      severity: r.severity,
      count: r.count,
      firstSeenAt: r.first_seen_at,
      status: r.status,
      acknowledgedBy: r.status === 'acknowledged' ? r.acknowledged_by : null,
      held: r.held,
    })),
  };
}
