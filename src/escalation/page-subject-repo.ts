import type { Queryable } from '../db/pool.js';
import type { Severity } from '../incidents/incident-types.js';

/** What a page's steps need to know of what it pages for: an incident, or an alert group. */
export interface PageSubject {
  pageId: number;
  /** The person as oncall.yaml names them, and their Slack id once the page DM resolved it. */
  target: string;
  userId: string | null;
  incidentId: number | null;
  alertGroupId: number | null;
  /** Incident number (null for an alert group). */
  number: number | null;
  title: string;
  severity: Severity;
  /** Where a failure is said: the incident channel, or the alert group's message channel. */
  channelId: string | null;
  isPrivate: boolean;
}

/** One query: the page with its incident or alert group. */
export async function findPageSubject(db: Queryable, pageId: number): Promise<PageSubject | null> {
  const { rows } = await db.query<{
    id: string;
    target: string;
    user_id: string | null;
    incident_id: string | null;
    alert_group_id: string | null;
    number: number | null;
    title: string;
    severity: Severity;
    channel_id: string | null;
    is_private: boolean;
  }>(
    `SELECT p.id, p.target, p.user_id, p.incident_id, p.alert_group_id, i.number,
       coalesce(i.title, g.title) AS title, coalesce(i.severity, g.severity) AS severity,
       coalesce(i.channel_id, g.channel_id) AS channel_id, coalesce(i.is_private, false) AS is_private
     FROM pages p
     LEFT JOIN incidents i ON i.id = p.incident_id
     LEFT JOIN alert_groups g ON g.id = p.alert_group_id
     WHERE p.id = $1`,
    [pageId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    pageId: Number(row.id),
    target: row.target,
    userId: row.user_id,
    incidentId: row.incident_id === null ? null : Number(row.incident_id),
    alertGroupId: row.alert_group_id === null ? null : Number(row.alert_group_id),
    number: row.number,
    title: row.title,
    severity: row.severity,
    channelId: row.channel_id,
    isPrivate: row.is_private,
  };
}
