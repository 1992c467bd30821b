import type { Queryable } from '../db/pool.js';
import type { Severity } from '../incidents/incident-types.js';
import type { AlertLink, AlertSource, AlertStatus } from './alert-types.js';

/** One alert as an alert page lists it. */
export interface AlertSummary {
  id: number;
  title: string;
  severity: Severity;
  status: AlertStatus;
  count: number;
  labels: Record<string, string>;
  /** The runbook first (as intake stored them). */
  links: AlertLink[];
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** What an alert group's page DM and channel message show: the group and (some of) its alerts. */
export interface AlertGroupView {
  id: number;
  service: string;
  source: AlertSource;
  title: string;
  severity: Severity;
  state: AlertStatus;
  held: boolean;
  incidentId: number | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  openedAt: Date;
  /** Every alert of the group, and those still firing. */
  alertCount: number;
  firingCount: number;
  /** The oldest `limit` alerts, oldest first (the first is the one that opened the group). */
  alerts: AlertSummary[];
  /** The group's message in the service's alerts channel, once posted. */
  channelId: string | null;
  messageTs: string | null;
}

/** The columns whose name is the same in snake_case, and the others. */
type Row = Pick<AlertGroupView, 'id' | 'service' | 'source' | 'title' | 'severity' | 'state' | 'held'> & {
  incident_id: number | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  opened_at: Date;
  channel_id: string | null;
  message_ts: string | null;
  alert_count: number;
  firing_count: number;
  alerts: (Omit<AlertSummary, 'firstSeenAt' | 'lastSeenAt'> & { firstSeenAt: string; lastSeenAt: string })[];
};

/** The group with its first `limit` alerts, in one query; null when there is no such group. */
export async function findAlertGroupView(
  db: Queryable,
  groupId: number,
  limit = 10,
): Promise<AlertGroupView | null> {
  const { rows } = await db.query<Row>(
    `SELECT g.id, g.service, g.source, g.title, g.severity, g.state, g.held, g.incident_id,
       g.acknowledged_by, g.acknowledged_at, g.resolved_by, g.resolved_at, g.opened_at, g.channel_id, g.message_ts,
       (SELECT count(*)::int FROM alerts a WHERE a.alert_group_id = g.id) AS alert_count,
       (SELECT count(*)::int FROM alerts a WHERE a.alert_group_id = g.id AND a.status = 'firing') AS firing_count,
       (SELECT coalesce(json_agg(json_build_object(
           'id', a.id, 'title', a.title, 'severity', a.severity, 'status', a.status, 'count', a.count,
           'labels', a.labels, 'links', a.links, 'firstSeenAt', a.first_seen_at, 'lastSeenAt', a.last_seen_at)
         ORDER BY a.first_seen_at, a.id), '[]'::json)
        FROM (SELECT * FROM alerts WHERE alert_group_id = g.id ORDER BY first_seen_at, id LIMIT $2) a) AS alerts
     FROM alert_groups g WHERE g.id = $1`,
    [groupId, limit],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    service: row.service,
    source: row.source,
    title: row.title,
    severity: row.severity,
    state: row.state,
    held: row.held,
    incidentId: row.incident_id,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    openedAt: row.opened_at,
    alertCount: row.alert_count,
    firingCount: row.firing_count,
    alerts: row.alerts.map((a) => ({
      ...a,
      firstSeenAt: new Date(a.firstSeenAt),
      lastSeenAt: new Date(a.lastSeenAt),
    })),
    channelId: row.channel_id,
    messageTs: row.message_ts,
  };
}

/** Where the group's message is, once posted (the Slack adapter records it). */
export async function recordAlertGroupMessage(
  db: Queryable,
  groupId: number,
  where: { channelId: string; messageTs: string },
): Promise<void> {
  await db.query('UPDATE alert_groups SET channel_id = $2, message_ts = $3 WHERE id = $1', [
    groupId,
    where.channelId,
    where.messageTs,
  ]);
}

/**
 * Records on the group that it was acknowledged or resolved (by a Slack user id or a source's
 * name), unless it already was: whoever came first stays recorded. Intake may have written the same
 * before calling the engine; then this changes nothing.
 */
export async function markAlertGroup(
  db: Queryable,
  groupId: number,
  how: { state: 'acknowledged' | 'resolved'; by: string; at: Date },
): Promise<void> {
  if (how.state === 'acknowledged') {
    await db.query(
      `UPDATE alert_groups SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3, updated_at = now()
       WHERE id = $1 AND state = 'firing'`,
      [groupId, how.by, how.at],
    );
    return;
  }
  await db.query(
    `UPDATE alert_groups SET state = 'resolved', resolved_by = coalesce(resolved_by, $2),
       resolved_at = coalesce(resolved_at, $3), updated_at = now()
     WHERE id = $1 AND (state <> 'resolved' OR resolved_by IS NULL)`,
    [groupId, how.by, how.at],
  );
}

/**
 * The group pages again after an acknowledgement (its ack timeout ran out, or someone pressed
 * Escalate now): it and its acknowledged alerts are firing again, so the new page can be
 * acknowledged (and intake's roll-up agrees with the engine).
 */
export async function reopenAlertGroup(db: Queryable, groupId: number): Promise<void> {
  await db.query(
    `WITH grp AS (
       UPDATE alert_groups SET state = 'firing', acknowledged_by = NULL, acknowledged_at = NULL, updated_at = now()
       WHERE id = $1 AND state = 'acknowledged'
       RETURNING id
     )
     UPDATE alerts SET status = 'firing', acknowledged_by = NULL, acknowledged_at = NULL
     WHERE alert_group_id IN (SELECT id FROM grp) AND status = 'acknowledged'`,
    [groupId],
  );
}
