import type { Queryable } from '../db/pool.js';
import type { Severity } from '../incidents/incident-types.js';
import type { AlertGroupView } from './alert-group-view.js';
import type { AlertLink, AlertSource, AlertStatus } from './alert-types.js';

/** What declaring from an alert group needs to know of it. */
export type AlertGroupForIncident = Pick<
  AlertGroupView,
  'id' | 'service' | 'source' | 'title' | 'severity' | 'state' | 'held' | 'incidentId'
>;

/** The group, or null; with `lock`, row-locked until the caller's transaction ends. */
export async function findAlertGroupForIncident(
  db: Queryable,
  groupId: number,
  options: { lock: boolean },
): Promise<AlertGroupForIncident | null> {
  const { rows } = await db.query<AlertGroupForIncident>(
    `SELECT id, service, source, title, severity, state, held, incident_id AS "incidentId"
     FROM alert_groups WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`,
    [groupId],
  );
  return rows[0] ?? null;
}

/** Links the group to its incident; false when it already has one (alert_groups_incident_idx: one group per incident). */
export async function linkAlertGroup(db: Queryable, groupId: number, incidentId: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE alert_groups SET incident_id = $2, updated_at = now() WHERE id = $1 AND incident_id IS NULL',
    [groupId, incidentId],
  );
  return rowCount === 1;
}

/** One event of an alert linked to an incident, not yet on that incident's timeline. */
export interface AlertActivity {
  eventId: number;
  incidentId: number;
  alertId: number;
  action: 'trigger' | 'acknowledge' | 'resolve';
  actor: string;
  receivedAt: Date;
  title: string;
  service: string;
  /** Triggers of this alert up to and including this event. */
  triggers: number;
}

/** The timeline's source_ref of a copied alert event: each is copied once. */
export const alertEventRef = (eventId: number) => `alert-event-${eventId}`;

/**
 * Events of the alerts of these groups (those linked to an incident) that are not on the incident's
 * timeline yet. A repeated trigger is listed when its count is a power of two (2, 4, 8…): a source
 * re-sending every minute does not bury the timeline; the postmortem has the exact count. An
 * unlinked group costs one index lookup.
 */
export async function listUnrecordedAlertActivity(
  db: Queryable,
  groupIds: readonly number[],
): Promise<AlertActivity[]> {
  const { rows } = await db.query<AlertActivity>(
    `WITH activity AS (
       SELECT e.id AS "eventId", g.incident_id AS "incidentId", a.id AS "alertId", e.action, e.actor,
              e.received_at AS "receivedAt", a.title, a.service,
              count(*) FILTER (WHERE e.action = 'trigger') OVER (PARTITION BY e.alert_id ORDER BY e.id)::int
                AS triggers
       FROM alert_groups g
       JOIN alerts a ON a.alert_group_id = g.id
       JOIN alert_events e ON e.alert_id = a.id
       WHERE g.id = ANY($1::bigint[]) AND g.incident_id IS NOT NULL
     )
     SELECT * FROM activity
     WHERE (action <> 'trigger' OR (triggers & (triggers - 1)) = 0)
       AND NOT EXISTS (
         SELECT 1 FROM timeline_events t
         WHERE t.incident_id = activity."incidentId" AND t.source_ref = 'alert-event-' || activity."eventId"
       )
     ORDER BY "eventId"`,
    [groupIds],
  );
  return rows;
}

/** An alert of a group linked to an incident, as the card and the postmortem show it. */
export interface IncidentAlert {
  groupId: number;
  title: string;
  service: string;
  source: AlertSource;
  severity: Severity;
  status: AlertStatus;
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  links: AlertLink[];
}

/** The alerts of the groups linked to an incident, or of one group; oldest first. */
export async function listAlertsOf(
  db: Queryable,
  of: { incidentId: number } | { groupId: number },
): Promise<IncidentAlert[]> {
  const { rows } = await db.query<IncidentAlert & { links: unknown }>(
    `SELECT a.alert_group_id AS "groupId", a.title, a.service, a.source, a.severity, a.status, a.count,
            a.first_seen_at AS "firstSeenAt", a.last_seen_at AS "lastSeenAt", a.links
     FROM alert_groups g JOIN alerts a ON a.alert_group_id = g.id
     WHERE ${'incidentId' in of ? 'g.incident_id' : 'g.id'} = $1
     ORDER BY a.first_seen_at, a.id`,
    ['incidentId' in of ? of.incidentId : of.groupId],
  );
  return rows.map((alert) => ({ ...alert, links: readLinks(alert.links) }));
}

/** The stored `[{ text, href }]`, keeping only well-formed entries. */
function readLinks(value: unknown): AlertLink[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (l): l is AlertLink =>
      typeof l === 'object' && l !== null && typeof l.text === 'string' && typeof l.href === 'string',
  );
}
