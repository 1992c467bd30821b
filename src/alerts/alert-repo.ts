/**
 * SQL of alert intake (tables in migrations/0012_alerts.sql). A batch of events is decided in memory
 * (alert-batch.ts) from one read of what it touches, then written with a handful of set-based
 * statements, whatever its size: few round trips per event is what makes intake fast.
 */
import type { Queryable } from '../db/pool.js';
import type { Severity } from '../incidents/incident-types.js';
import type { AlertAction, AlertLink, AlertSource, AlertStatus } from './alert-types.js';

/**
 * Serialises every change to a service's alerts, across processes, until the transaction ends: two
 * identical triggers make one alert, and a storm's alerts find the group its first alert opened.
 * Locks are taken in name order, so two transactions never wait on each other in a cycle.
 */
export async function lockServices(db: Queryable, services: string[]): Promise<void> {
  const sorted = [...new Set(services)].sort();
  await db.query({
    name: 'alerts-lock-services',
    text: `SELECT pg_advisory_xact_lock(hashtextextended('alert-service:' || s, 0))
             FROM unnest($1::text[]) AS s`,
    values: [sorted],
  });
}

export interface OpenAlert {
  id: number;
  service: string;
  dedupKey: string;
  groupId: number;
  status: Exclude<AlertStatus, 'resolved'>;
}

export interface OpenGroup {
  id: number;
  service: string;
  groupKey: string | null;
}

/** What a batch needs to decide: its open alerts, joinable groups, and services under maintenance. */
export interface BatchState {
  /** Ids reserved for the groups and alerts it may open (sequence gaps are harmless). */
  ids?: { groups: number[]; alerts: number[] };
  alerts: OpenAlert[];
  /** Open groups of the batch's Alertmanager group keys. */
  keyedGroups: OpenGroup[];
  /** Per service, its newest group still firing that opened since `since` (held or not, as its maintenance says). */
  windowGroups: OpenGroup[];
  /** Services with a maintenance window in force. */
  held: string[];
  /** Of the groups above (and of the open alerts), those linked to an incident. */
  linked?: number[];
}

/**
 * The JSON inputs are joined through LATERAL lookups with LIMIT (kept as nested index lookups; the
 * planner would flatten a plain join into a hash join scanning the whole table once per batch), and
 * updates name their ids with `= ANY` for the same reason.
 */

/**
 * One round trip: the open alerts of the batch's (service, dedup key) pairs, the open groups of its
 * Alertmanager group keys, each service's joinable group and whether it is in maintenance.
 */
export async function readBatchState(
  db: Queryable,
  input: {
    pairs: { service: string; dedupKey: string }[];
    groupKeys: { service: string; groupKey: string }[];
    services: string[];
    now: Date;
    since: Date;
    /** At most how many groups and alerts the batch opens. */
    reserve: { groups: number; alerts: number };
  },
): Promise<BatchState & { ids: { groups: number[]; alerts: number[] } }> {
  const { rows } = await db.query<{ state: BatchState }>({
    name: 'alerts-read-batch-state',
    text: `WITH held AS (
             SELECT DISTINCT service FROM maintenance_windows
              WHERE service = ANY($3::text[]) AND ended_at IS NULL AND starts_at <= $4 AND ends_at > $4
           ), open_alerts AS (
             SELECT a.id, a.service, a.dedup_key, a.alert_group_id, a.status
               FROM jsonb_to_recordset($1::jsonb) AS p(service text, "dedupKey" text)
               CROSS JOIN LATERAL (
                 SELECT * FROM alerts a
                  WHERE a.service = p.service AND a.dedup_key = p."dedupKey" AND a.status <> 'resolved'
                  LIMIT 1
               ) a
           ), keyed AS (
             SELECT g.id, g.service, g.group_key
               FROM jsonb_to_recordset($2::jsonb) AS k(service text, "groupKey" text)
               CROSS JOIN LATERAL (
                 SELECT * FROM alert_groups g
                  WHERE g.service = k.service AND g.group_key = k."groupKey" AND g.state <> 'resolved'
                  LIMIT 1
               ) g
           ), windowed AS (
             SELECT w.id, w.service, w.group_key
               FROM unnest($3::text[]) AS s(service)
               CROSS JOIN LATERAL (
                 SELECT g.id, g.service, g.group_key FROM alert_groups g
                  WHERE g.service = s.service AND g.state = 'firing' AND g.opened_at >= $5
                    AND g.held = (s.service IN (SELECT service FROM held))
                  ORDER BY g.opened_at DESC LIMIT 1) w
           )
           SELECT json_build_object(
             'alerts', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'service', a.service,
                          'dedupKey', a.dedup_key, 'groupId', a.alert_group_id, 'status', a.status)), '[]')
                          FROM open_alerts a),
             'keyedGroups', (SELECT coalesce(json_agg(json_build_object('id', g.id, 'service', g.service,
                          'groupKey', g.group_key)), '[]') FROM keyed g),
             'windowGroups', (SELECT coalesce(json_agg(json_build_object('id', w.id, 'service', w.service,
                          'groupKey', w.group_key)), '[]') FROM windowed w),
             'held', (SELECT coalesce(json_agg(service), '[]') FROM held),
             'linked', (SELECT coalesce(json_agg(g.id), '[]') FROM alert_groups g
                          WHERE g.incident_id IS NOT NULL AND g.id = ANY(ARRAY(
                            SELECT alert_group_id FROM open_alerts UNION SELECT id FROM keyed
                            UNION SELECT id FROM windowed))),
             'ids', json_build_object(
               'groups', ARRAY(SELECT nextval(pg_get_serial_sequence('alert_groups', 'id')) FROM generate_series(1, $6)),
               'alerts', ARRAY(SELECT nextval(pg_get_serial_sequence('alerts', 'id')) FROM generate_series(1, $7)))
           ) AS state`,
    values: [
      JSON.stringify(input.pairs),
      JSON.stringify(input.groupKeys),
      input.services,
      input.now,
      input.since,
      input.reserve.groups,
      input.reserve.alerts,
    ],
  });
  const state = rows[0]!.state as BatchState & { ids: { groups: number[]; alerts: number[] } };
  return state;
}

export interface NewGroup {
  id: number;
  service: string;
  source: AlertSource;
  groupKey: string | null;
  title: string;
  severity: Severity;
  held: boolean;
  openedAt: Date;
}

/** A new alert as the batch left it (it may have been acknowledged or resolved in the same batch). */
export interface NewAlert {
  id: number;
  service: string;
  dedupKey: string;
  source: AlertSource;
  groupId: number;
  status: AlertStatus;
  title: string;
  severity: Severity;
  labels: Record<string, string>;
  details: Record<string, unknown>;
  links: AlertLink[];
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
}

/** The recordset columns of a NewAlert as JSON. */
export const ALERT_RECORD = `id bigint, service text, "dedupKey" text, source text, "groupId" bigint, status text,
  title text, severity text, labels jsonb, details jsonb, links jsonb, count int, "firstSeenAt" timestamptz,
  "lastSeenAt" timestamptz, "acknowledgedBy" text, "acknowledgedAt" timestamptz, "resolvedBy" text,
  "resolvedAt" timestamptz`;

/** What a batch did to an alert that was already open. */
export interface AlertChange {
  id: number;
  /** Repeated triggers to add to its count. */
  repeats: number;
  lastSeenAt: Date | null;
  status: AlertStatus;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
}

export async function updateAlerts(db: Queryable, changes: AlertChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.query({
    name: 'alerts-update-alerts',
    text: `UPDATE alerts a SET
             count = a.count + d.repeats,
             last_seen_at = greatest(a.last_seen_at, coalesce(d."lastSeenAt", a.last_seen_at)),
             status = d.status,
             acknowledged_by = coalesce(d."acknowledgedBy", a.acknowledged_by),
             acknowledged_at = coalesce(d."acknowledgedAt", a.acknowledged_at),
             resolved_by = coalesce(d."resolvedBy", a.resolved_by),
             resolved_at = coalesce(d."resolvedAt", a.resolved_at)
           FROM jsonb_to_recordset($1::jsonb) AS d(id bigint, repeats int, "lastSeenAt" timestamptz, status text,
             "acknowledgedBy" text, "acknowledgedAt" timestamptz, "resolvedBy" text, "resolvedAt" timestamptz)
           WHERE a.id = d.id AND a.id = ANY($2::bigint[])`,
    values: [JSON.stringify(changes), changes.map((c) => c.id)],
  });
}

/** One accepted event, as kept in alert_events (null alert: it matched nothing). */
export interface EventRecord {
  alertId: number | null;
  service: string;
  source: AlertSource;
  action: AlertAction;
  actor: string;
  receivedAt: Date;
  payload: unknown;
}

/** A group the batch touched: the most severe new alert, and who last acknowledged or resolved in it. */
export interface GroupTouch {
  id: number;
  severity: Severity | null;
  actor: string | null;
  at: Date | null;
  /** Opened, acknowledged or resolved: shown at once. Otherwise (repeats, joins) the refresh may wait. */
  urgent: boolean;
}

export interface GroupTransition {
  id: number;
  service: string;
  state: 'acknowledged' | 'resolved';
  by: string;
  at: Date;
}

/**
 * Rolls touched groups up from their alerts: none open → resolved; none firing → acknowledged (from
 * firing); raises a group's severity to its most severe new alert. Returns the groups whose state
 * changed, with who changed it.
 */
export async function rollUpGroups(
  db: Queryable,
  touches: GroupTouch[],
  now: Date,
): Promise<GroupTransition[]> {
  if (touches.length === 0) return [];
  const { rows } = await db.query<{
    id: number;
    service: string;
    state: 'acknowledged' | 'resolved';
    by: string;
    at: Date;
  }>({
    name: 'alerts-roll-up-groups',
    text: `WITH d AS (
             SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(id bigint, severity text, actor text, at timestamptz)
           ), next AS (
             SELECT g.id, g.state AS was,
               CASE
                 WHEN NOT EXISTS (SELECT 1 FROM alerts a WHERE a.alert_group_id = g.id AND a.status <> 'resolved')
                   THEN 'resolved'
                 WHEN g.state = 'firing'
                  AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.alert_group_id = g.id AND a.status = 'firing')
                   THEN 'acknowledged'
                 ELSE g.state
               END AS state
             FROM alert_groups g JOIN d ON d.id = g.id
             WHERE g.id = ANY($3::bigint[])
           )
           UPDATE alert_groups g SET
             severity = least(g.severity, coalesce(d.severity, g.severity)),
             state = next.state,
             acknowledged_by = CASE WHEN next.state = 'acknowledged' AND next.was = 'firing'
                                    THEN coalesce(d.actor, g.acknowledged_by) ELSE g.acknowledged_by END,
             acknowledged_at = CASE WHEN next.state = 'acknowledged' AND next.was = 'firing'
                                    THEN coalesce(d.at, $2) ELSE g.acknowledged_at END,
             resolved_by = CASE WHEN next.state = 'resolved' AND next.was <> 'resolved'
                                THEN coalesce(d.actor, g.resolved_by) ELSE g.resolved_by END,
             resolved_at = CASE WHEN next.state = 'resolved' AND next.was <> 'resolved'
                                THEN coalesce(d.at, $2) ELSE g.resolved_at END,
             updated_at = $2
           FROM d JOIN next ON next.id = d.id
           WHERE g.id = d.id AND g.id = ANY($3::bigint[])
           RETURNING g.id, g.service, g.state, next.was,
             CASE WHEN g.state = 'resolved' THEN g.resolved_by ELSE g.acknowledged_by END AS by,
             CASE WHEN g.state = 'resolved' THEN g.resolved_at ELSE g.acknowledged_at END AS at`,
    values: [JSON.stringify(touches), now, touches.map((t) => t.id)],
  });
  return (rows as (GroupTransition & { was: string })[])
    .filter((row) => row.state !== row.was && row.state !== ('firing' as string))
    .map(({ id, service, state, by, at }) => ({ id, service, state, by, at }));
}

/** The service of a group, or null when there is no such group. */
export async function findGroupService(db: Queryable, groupId: number): Promise<string | null> {
  const { rows } = await db.query<{ service: string }>({
    name: 'alerts-group-service',
    text: 'SELECT service FROM alert_groups WHERE id = $1',
    values: [groupId],
  });
  return rows[0]?.service ?? null;
}

/**
 * Acknowledges (firing alerts) or resolves (open alerts) every alert of a group as `by`, recording an
 * event per alert; returns the ids changed. The group follows through rollUpGroups.
 */
export async function settleGroupAlerts(
  db: Queryable,
  input: { groupId: number; action: 'acknowledge' | 'resolve'; by: string; at: Date },
): Promise<number[]> {
  const resolve = input.action === 'resolve';
  const { rows } = await db.query<{ id: number }>({
    name: `alerts-settle-group-${input.action}`,
    text: `WITH changed AS (
             UPDATE alerts SET ${
               resolve
                 ? `status = 'resolved', resolved_by = $2, resolved_at = $3`
                 : `status = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3`
             }
             WHERE alert_group_id = $1 AND status ${resolve ? `<> 'resolved'` : `= 'firing'`}
             RETURNING id, service, source
           ), recorded AS (
             INSERT INTO alert_events (alert_id, service, source, action, actor, received_at)
             SELECT id, service, source, $4, $2, $3 FROM changed
           )
           SELECT id FROM changed`,
    values: [input.groupId, input.by, input.at, input.action],
  });
  return rows.map((row) => row.id);
}
