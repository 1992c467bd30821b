import pg from 'pg';
import type { AlertLink, AlertSource } from '../../src/alerts/alert-types.js';
import type { Severity } from '../../src/incidents/incident-types.js';

/** An alert group as intake would have written it (until the tests go through intake's routes). */
export interface AlertGroupRows {
  service: string;
  source?: AlertSource;
  title: string;
  severity?: Severity;
  links?: AlertLink[];
  labels?: Record<string, string>;
}

/** Inserts a firing group with one alert and its first trigger event; returns their ids. */
export async function insertAlertGroup(
  url: string,
  rows: AlertGroupRows,
): Promise<{ groupId: number; alertId: number }> {
  const source = rows.source ?? 'alertmanager';
  const severity = rows.severity ?? 'SEV2';
  return withClient(url, async (db) => {
    const group = await db.query<{ id: string }>(
      `INSERT INTO alert_groups (service, source, title, severity, opened_at)
       VALUES ($1, $2, $3, $4, now()) RETURNING id`,
      [rows.service, source, rows.title, severity],
    );
    const groupId = Number(group.rows[0]!.id);
    const alert = await db.query<{ id: string }>(
      `INSERT INTO alerts (service, dedup_key, source, alert_group_id, title, severity, labels, links,
         first_seen_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now()) RETURNING id`,
      [
        rows.service,
        `fp-${groupId}`,
        source,
        groupId,
        rows.title,
        severity,
        JSON.stringify(rows.labels ?? {}),
        JSON.stringify(rows.links ?? []),
      ],
    );
    const alertId = Number(alert.rows[0]!.id);
    await insertAlertEvent(db, alertId, 'trigger', actorOf(source));
    return { groupId, alertId };
  });
}

/**
 * What intake records for a later event of the alert: a repeated trigger (count and last seen), an
 * acknowledge or a resolve (the alert's status), and the event row.
 */
export async function recordAlertEvent(
  url: string,
  alertId: number,
  action: 'trigger' | 'acknowledge' | 'resolve',
  actor: string,
): Promise<void> {
  await withClient(url, async (db) => {
    if (action === 'trigger')
      await db.query('UPDATE alerts SET count = count + 1, last_seen_at = now() WHERE id = $1', [alertId]);
    else {
      const status = action === 'resolve' ? 'resolved' : 'acknowledged';
      await db.query('UPDATE alerts SET status = $2 WHERE id = $1', [alertId, status]);
    }
    await insertAlertEvent(db, alertId, action, actor);
  });
}

const ACTORS: Record<AlertSource, string> = {
  alertmanager: 'Alertmanager',
  pagerduty: 'PagerDuty Events API',
  webhook: 'webhook',
  heartbeat: 'heartbeat',
};
const actorOf = (source: AlertSource) => ACTORS[source];

async function insertAlertEvent(db: pg.Client, alertId: number, action: string, actor: string) {
  await db.query(
    `INSERT INTO alert_events (alert_id, service, source, action, actor, received_at, payload)
     SELECT id, service, source, $2, $3, now(), '{}' FROM alerts WHERE id = $1`,
    [alertId, action, actor],
  );
}

async function withClient<T>(url: string, fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}
