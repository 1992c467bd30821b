import type { Queryable } from '../db/pool.js';

/**
 * The people a page was sent to, per incident (by its policy or by hand): the access rule lets them
 * view the incident and acknowledge its pages. One query for any number of incidents.
 */
export async function listPagedUsers(
  db: Queryable,
  incidentIds: readonly number[],
): Promise<Map<number, string[]>> {
  const paged = new Map<number, string[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return paged;
  const { rows } = await db.query<{ incident_id: string | number; user_id: string }>(
    `SELECT DISTINCT incident_id, user_id FROM pages
     WHERE incident_id = ANY($1::bigint[]) AND status = 'sent' AND user_id IS NOT NULL`,
    [incidentIds],
  );
  for (const row of rows) paged.get(Number(row.incident_id))?.push(row.user_id);
  return paged;
}

/** The people a page was sent to for an alert group: the alert access rule lets them act on it. */
export async function listAlertGroupPagedUsers(db: Queryable, alertGroupId: number): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT DISTINCT user_id FROM pages
     WHERE alert_group_id = $1 AND status = 'sent' AND user_id IS NOT NULL`,
    [alertGroupId],
  );
  return rows.map((r) => r.user_id);
}
