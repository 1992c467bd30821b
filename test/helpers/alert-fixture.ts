import type { AlertPaging } from '../../src/alerts/alert-types.js';
import { type Pool, type Queryable, withTransaction } from '../../src/db/pool.js';

export interface AlertGroupFixture {
  service?: string;
  /** The group's title (and its first alert's). */
  title?: string;
  severity?: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4';
  /** How many alerts the group holds (the first carries the labels, links and count). */
  alerts?: number;
  labels?: Record<string, string>;
  links?: { text: string; href: string }[];
  /** How many times the first alert fired. */
  count?: number;
}

/**
 * An open Alertmanager alert group and its alerts, written with SQL as alert intake would (until
 * intake's ingest is what tests drive). Returns the group's id.
 */
export async function insertAlertGroup(db: Queryable, fixture: AlertGroupFixture = {}): Promise<number> {
  const service = fixture.service ?? 'checkout';
  const title = fixture.title ?? 'High error rate on checkout';
  const severity = fixture.severity ?? 'SEV2';
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO alert_groups (service, source, group_key, title, severity, opened_at)
     VALUES ($1, 'alertmanager', $2, $3, $4, now()) RETURNING id`,
    [service, `{}:{alertname="${title}"}-${Math.random()}`, title, severity],
  );
  const groupId = rows[0]!.id;
  const n = fixture.alerts ?? 1;
  await db.query(
    `INSERT INTO alerts (service, dedup_key, source, alert_group_id, title, severity, labels, links, count,
       first_seen_at, last_seen_at)
     SELECT $1, 'fp-' || $2::bigint || '-' || i, 'alertmanager', $2::bigint, CASE WHEN i = 1 THEN $3 ELSE $3 || ' #' || i END, $4,
       CASE WHEN i = 1 THEN $5::jsonb ELSE '{}' END, CASE WHEN i = 1 THEN $6::jsonb ELSE '[]' END,
       CASE WHEN i = 1 THEN $7 ELSE 1 END, now() + i * interval '1 millisecond', now()
     FROM generate_series(1, $8::int) AS i`,
    [
      service,
      groupId,
      title,
      severity,
      JSON.stringify(fixture.labels ?? { alertname: 'HighErrorRate', service }),
      JSON.stringify(fixture.links ?? [{ text: 'Runbook', href: 'https://wiki.example/runbooks/checkout' }]),
      fixture.count ?? 1,
      n,
    ],
  );
  return groupId;
}

/** Starts the group's paging as intake does: inside a transaction, then what it asks after commit. */
export async function startAlertGroup(
  pool: Pool,
  paging: AlertPaging,
  group: { id: number; service: string },
): Promise<boolean> {
  const after = await withTransaction(pool, (tx) => paging.startGroup(tx, group));
  await after?.();
  return after !== null;
}

/** Stops the group's paging as intake does when its source acknowledged or resolved it. */
export async function stopAlertGroup(
  pool: Pool,
  paging: AlertPaging,
  groupId: number,
  how: { state: 'acknowledged' | 'resolved'; by: string },
): Promise<boolean> {
  const after = await withTransaction(pool, (tx) =>
    paging.stopGroup(tx, groupId, { ...how, at: new Date() }),
  );
  await after?.();
  return after !== null;
}
