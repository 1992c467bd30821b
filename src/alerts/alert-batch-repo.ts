/**
 * The one statement that writes a batch's rows (see alert-service.ts): new groups, repeat counts,
 * new alerts, event records, raised severities and the group refreshes.
 */
import type { Queryable } from '../db/pool.js';
import type { Severity } from '../incidents/incident-types.js';
import {
  OUTBOX_RECORDSET,
  type OutboxEntry,
  outboxEntriesJson,
  upsertOutboxSql,
} from '../jobs/outbox-repo.js';
import {
  ALERT_RECORD,
  type AlertChange,
  type EventRecord,
  type NewAlert,
  type NewGroup,
} from './alert-repo.js';

/**
 * The upsert of refreshes that may wait (see GroupTouch.urgent): written only where none is pending,
 * since a pending one renders the newest state when it runs anyway. Its RETURNING names the keys
 * written, the only ones to dispatch, so a stream of repeats costs one refresh per group per delay.
 */
function deferredRefreshesSql(source: string): string {
  return `INSERT INTO outbox (job, key, payload, run_at, deadline_at, deadline_ms, coalescing)
           SELECT job, key, payload, run_at, run_at + deadline_ms * interval '1 millisecond', deadline_ms, coalescing
             FROM ${source}
           ON CONFLICT (key) DO UPDATE SET generation = outbox.generation + 1, done_at = NULL,
             payload = EXCLUDED.payload, run_at = EXCLUDED.run_at, deadline_at = EXCLUDED.deadline_at, dispatches = 1
           WHERE outbox.coalescing AND outbox.done_at IS NOT NULL
           RETURNING key`;
}

/** Everything a batch writes besides status changes, and the refreshes it asks for. */
export interface BatchWriteInput {
  groups: NewGroup[];
  /** Repeats only (count and last seen); status changes go through updateAlerts first. */
  repeats: AlertChange[];
  alerts: NewAlert[];
  records: EventRecord[];
  /** Existing groups joined by a more severe new alert. */
  raises: { id: number; severity: Severity }[];
  now: Date;
  urgent: OutboxEntry[];
  deferred: OutboxEntry[];
}

/**
 * One statement for a batch's rows: new groups, repeat counts, new alerts, the event records, raised
 * severities and the group refreshes (constraints are checked at its end, so rows may refer to each
 * other). Returns the keys of the deferred refreshes written.
 */
export async function writeBatch(db: Queryable, input: BatchWriteInput): Promise<Set<string>> {
  const json = (value: unknown) => JSON.stringify(value);
  const { rows } = await db.query<{ key: string }>({
    name: 'alerts-write-batch',
    text: `WITH new_groups AS (
             INSERT INTO alert_groups (id, service, source, group_key, title, severity, held, opened_at, updated_at)
             OVERRIDING SYSTEM VALUE
             SELECT id, service, source, "groupKey", title, severity, held, "openedAt", "openedAt"
               FROM jsonb_to_recordset($1::jsonb) AS d(id bigint, service text, source text, "groupKey" text,
                 title text, severity text, held boolean, "openedAt" timestamptz)
           ), repeated AS (
             UPDATE alerts a SET count = a.count + d.repeats,
               last_seen_at = greatest(a.last_seen_at, coalesce(d."lastSeenAt", a.last_seen_at))
             FROM jsonb_to_recordset($2::jsonb) AS d(id bigint, repeats int, "lastSeenAt" timestamptz)
             WHERE a.id = d.id AND a.id = ANY($3::bigint[])
           ), new_alerts AS (
             INSERT INTO alerts (id, service, dedup_key, source, alert_group_id, status, title, severity, labels,
               details, links, count, first_seen_at, last_seen_at, acknowledged_by, acknowledged_at, resolved_by,
               resolved_at)
             OVERRIDING SYSTEM VALUE
             SELECT id, service, "dedupKey", source, "groupId", status, title, severity, labels, details, links, count,
               "firstSeenAt", "lastSeenAt", "acknowledgedBy", "acknowledgedAt", "resolvedBy", "resolvedAt"
               FROM jsonb_to_recordset($4::jsonb) AS d(${ALERT_RECORD})
           ), recorded AS (
             INSERT INTO alert_events (alert_id, service, source, action, actor, received_at, payload)
             SELECT "alertId", service, source, action, actor, "receivedAt", payload
               FROM jsonb_to_recordset($5::jsonb) AS d("alertId" bigint, service text, source text, action text,
                 actor text, "receivedAt" timestamptz, payload jsonb)
           ), raised AS (
             UPDATE alert_groups g SET severity = d.severity, updated_at = $7
               FROM jsonb_to_recordset($6::jsonb) AS d(id bigint, severity text)
              WHERE g.id = d.id AND g.id = ANY($8::bigint[]) AND d.severity < g.severity
           ), urgent AS (
             ${upsertOutboxSql(`jsonb_to_recordset($9::jsonb) AS u(${OUTBOX_RECORDSET})`)}
           ), deferred AS (
             ${deferredRefreshesSql(`jsonb_to_recordset($10::jsonb) AS f(${OUTBOX_RECORDSET})`)}
           )
           SELECT key FROM deferred`,
    values: [
      json(input.groups),
      json(input.repeats),
      input.repeats.map((r) => r.id),
      json(input.alerts),
      json(input.records),
      json(input.raises),
      input.now,
      input.raises.map((r) => r.id),
      json(outboxEntriesJson(input.urgent)),
      json(outboxEntriesJson(input.deferred)),
    ],
  });
  return new Set(rows.map((row) => row.key));
}

/** A repeated trigger for the fast path (see countRepeats): its index in the batch and what it records. */
export interface RepeatInput {
  i: number;
  service: string;
  dedupKey: string;
  source: string;
  actor: string;
  payload: unknown;
}

/** How the fast path writes a group's deferred refresh (built in SQL from the group id). */
export interface RefreshTemplate {
  job: string;
  keyPrefix: string;
  runAt: Date;
  deadlineMs: number;
}

/**
 * The fast path for repeated triggers: one autocommit statement, no advisory lock. Adds each open
 * alert's repeats to its count, records the events and writes the groups' deferred refreshes where
 * none is pending. Only alerts open and of a group without an incident (whose timeline would record
 * the events) are counted; the others are left to the locked path. A concurrent resolve is seen
 * under the row lock (the status is checked again), so a repeat never counts on a resolved alert.
 * Returns the indexes counted with their alerts, and the groups whose refresh was written (to dispatch).
 */
export async function countRepeats(
  db: Queryable,
  input: { events: RepeatInput[]; now: Date; refresh: RefreshTemplate },
): Promise<{ counted: { i: number; id: number }[]; refreshed: number[] }> {
  const { rows } = await db.query<{
    counted: { i: number; id: number }[] | null;
    refreshed: string[] | null;
  }>({
    name: 'alerts-count-repeats',
    text: `WITH d AS (
             SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(i int, service text, "dedupKey" text, source text,
               actor text, payload jsonb)
           ), pairs AS (
             SELECT service, "dedupKey", count(*)::int AS n FROM d GROUP BY service, "dedupKey"
           ), open AS (
             SELECT x.id, p.n FROM pairs p
             CROSS JOIN LATERAL (
               SELECT a.id FROM alerts a JOIN alert_groups g ON g.id = a.alert_group_id
                WHERE a.service = p.service AND a.dedup_key = p."dedupKey" AND a.status <> 'resolved'
                  AND g.incident_id IS NULL
                LIMIT 1
             ) x
           ), repeated AS (
             UPDATE alerts a SET count = a.count + o.n, last_seen_at = greatest(a.last_seen_at, $2)
               FROM open o
              WHERE a.id = o.id AND a.status <> 'resolved'
             RETURNING a.id, a.service, a.dedup_key, a.alert_group_id
           ), recorded AS (
             INSERT INTO alert_events (alert_id, service, source, action, actor, received_at, payload)
             SELECT r.id, d.service, d.source, 'trigger', d.actor, $2, d.payload
               FROM d JOIN repeated r ON r.service = d.service AND r.dedup_key = d."dedupKey"
              ORDER BY d.i
           ), refreshed AS (
             ${deferredRefreshesSql(`(SELECT DISTINCT $3::text AS job, $4::text || alert_group_id AS key,
                 jsonb_build_object('groupId', alert_group_id) AS payload, $5::timestamptz AS run_at,
                 $6::int AS deadline_ms, true AS coalescing FROM repeated ORDER BY key) f`)}
           )
           SELECT (SELECT json_agg(json_build_object('i', d.i, 'id', r.id)) FROM d JOIN repeated r ON r.service = d.service AND r.dedup_key = d."dedupKey")
                    AS counted,
                  (SELECT array_agg(substr(key, length($4::text) + 1)::bigint) FROM refreshed) AS refreshed`,
    values: [
      JSON.stringify(input.events),
      input.now,
      input.refresh.job,
      input.refresh.keyPrefix,
      input.refresh.runAt,
      input.refresh.deadlineMs,
    ],
  });
  const row = rows[0]!;
  return { counted: row.counted ?? [], refreshed: (row.refreshed ?? []).map(Number) };
}
