import type { Queryable } from '../db/pool.js';
import {
  OUTBOX_RECORDSET,
  type OutboxEntry,
  outboxEntriesJson,
  upsertOutboxSql,
} from '../jobs/outbox-repo.js';
import type { TimelineEventInput } from '../timeline/timeline-events.js';
import type { EscalationPolicy } from './oncall-config.js';
import type { StoredOverride } from './overrides-repo.js';

export type EscalationState = 'triggered' | 'acknowledged' | 'resolved' | 'exhausted';

export interface Escalation {
  incidentId: number;
  policyName: string;
  policy: EscalationPolicy;
  state: EscalationState;
  epoch: number;
  step: number;
  loop: number;
  nextStepAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  startedAt: Date;
}

interface EscalationRow {
  incident_id: number;
  policy_name: string;
  policy: EscalationPolicy;
  state: EscalationState;
  epoch: number;
  step: number;
  loop: number;
  next_step_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  started_at: Date;
}

const COLUMNS =
  'incident_id, policy_name, policy, state, epoch, step, loop, next_step_at, acknowledged_by, acknowledged_at, started_at';

function toEscalation(row: EscalationRow): Escalation {
  return {
    incidentId: row.incident_id,
    policyName: row.policy_name,
    policy: row.policy,
    state: row.state,
    epoch: row.epoch,
    step: row.step,
    loop: row.loop,
    nextStepAt: row.next_step_at,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at,
    startedAt: row.started_at,
  };
}

/** Starts paging with a snapshot of the policy; a second start for the same incident does nothing. */
export async function insertEscalation(
  db: Queryable,
  input: { incidentId: number; policyName: string; policy: EscalationPolicy; startedAt: Date },
): Promise<Escalation | null> {
  const { rows } = await db.query<EscalationRow>(
    `INSERT INTO escalations (incident_id, policy_name, policy, state, next_step_at, started_at)
     VALUES ($1, $2, $3, 'triggered', $4, $4)
     ON CONFLICT (incident_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [input.incidentId, input.policyName, JSON.stringify(input.policy), input.startedAt],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

export async function findEscalation(db: Queryable, incidentId: number): Promise<Escalation | null> {
  const { rows } = await db.query<EscalationRow>(
    `SELECT ${COLUMNS} FROM escalations WHERE incident_id = $1`,
    [incidentId],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/** The row lock every paging decision is made under. */
export async function findEscalationForUpdate(db: Queryable, incidentId: number): Promise<Escalation | null> {
  const { rows } = await db.query<EscalationRow>(
    `SELECT ${COLUMNS} FROM escalations WHERE incident_id = $1 FOR UPDATE`,
    [incidentId],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/**
 * The acknowledge compare-and-set: only a triggered escalation can be acknowledged, and only once.
 * Bumps the epoch so every pending timer becomes a no-op.
 */
export async function acknowledgeEscalation(
  db: Queryable,
  incidentId: number,
  userId: string,
  clockNow: () => Date,
  nextStepAt: (policy: EscalationPolicy, at: Date) => Date | null,
): Promise<Escalation | null> {
  const current = await findEscalationForUpdate(db, incidentId);
  if (current?.state !== 'triggered') return null;
  // Read the time only once the lock is ours: a level that fired while we waited came first.
  const at = clockNow();
  const { rows } = await db.query<EscalationRow>(
    `UPDATE escalations SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3,
       epoch = epoch + 1, next_step_at = $4, updated_at = now()
     WHERE incident_id = $1 AND state = 'triggered'
     RETURNING ${COLUMNS}`,
    [incidentId, userId, at, nextStepAt(current.policy, at)],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/** Moves to a new epoch with the given position (escalate now, re-trigger after an ack timeout). */
export async function restartEscalation(
  db: Queryable,
  incidentId: number,
  fields: {
    fromStates: EscalationState[];
    expectedEpoch?: number;
    step: number;
    loop: number;
    nextStepAt: Date;
  },
): Promise<Escalation | null> {
  const { rows } = await db.query<EscalationRow>(
    `UPDATE escalations SET state = 'triggered', epoch = epoch + 1, step = $3, loop = $4, next_step_at = $5,
       acknowledged_by = NULL, acknowledged_at = NULL, updated_at = now()
     WHERE incident_id = $1 AND state = ANY($2) AND ($6::int IS NULL OR epoch = $6)
     RETURNING ${COLUMNS}`,
    [
      incidentId,
      fields.fromStates,
      fields.step,
      fields.loop,
      fields.nextStepAt,
      fields.expectedEpoch ?? null,
    ],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

export async function resolveEscalation(db: Queryable, incidentId: number): Promise<Escalation | null> {
  const { rows } = await db.query<EscalationRow>(
    `UPDATE escalations SET state = 'resolved', epoch = epoch + 1, next_step_at = NULL, updated_at = now()
     WHERE incident_id = $1 AND state IN ('triggered', 'acknowledged', 'exhausted')
     RETURNING ${COLUMNS}`,
    [incidentId],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/** Timers Postgres says are due but have not fired: the reconciler re-enqueues them. */
export async function listOverdueEscalations(db: Queryable, before: Date): Promise<Escalation[]> {
  const { rows } = await db.query<EscalationRow>(
    `SELECT ${COLUMNS} FROM escalations
     WHERE state IN ('triggered', 'acknowledged') AND next_step_at IS NOT NULL AND next_step_at < $1
     ORDER BY next_step_at LIMIT 1000`,
    [before],
  );
  return rows.map(toEscalation);
}

/**
 * The overrides in force at the instant in parameter `param`, oldest first, as JSON text: read with
 * the escalation, and compared when a decision is applied, so a decision is never applied with an
 * override list other than the one it was taken with.
 */
const currentOverridesJson = (param: string) =>
  `(SELECT coalesce(json_agg(json_build_object(
       'id', o.id, 'schedule', o.schedule, 'userId', o.user_id,
       'startsAt', floor(extract(epoch FROM o.starts_at) * 1000),
       'endsAt', floor(extract(epoch FROM o.ends_at) * 1000), 'createdBy', o.created_by)
     ORDER BY o.created_at, o.id), '[]'::json)::text
    FROM schedule_overrides o WHERE o.ends_at > ${param})`;

/** Overrides as a step timer sees them: the list, and the JSON text it was read as. */
export interface CurrentOverrides {
  /** Overrides taken in Slack that have not ended, oldest first (listCurrentOverrides' rows). */
  list: StoredOverride[];
  /** What `applyFireDecision` compares against the overrides in force when it applies. */
  json: string;
}

function parseOverrides(json: string): CurrentOverrides {
  const raw = JSON.parse(json) as (Omit<StoredOverride, 'startsAt' | 'endsAt'> & {
    startsAt: number;
    endsAt: number;
  })[];
  return {
    list: raw.map((o) => ({ ...o, startsAt: new Date(o.startsAt), endsAt: new Date(o.endsAt) })),
    json,
  };
}

/** What a step timer decides from, read without a lock (the decision is applied by a compare-and-set). */
export interface FireSnapshot {
  escalation: Pick<Escalation, 'incidentId' | 'policy' | 'state' | 'epoch' | 'step' | 'loop' | 'startedAt'>;
  overrides: CurrentOverrides;
}

/** One round trip: the escalation and the overrides in force at `now`. */
export async function readFireSnapshot(
  db: Queryable,
  incidentId: number,
  now: Date,
): Promise<FireSnapshot | null> {
  const { rows } = await db.query<
    Pick<EscalationRow, 'incident_id' | 'policy' | 'state' | 'epoch' | 'step' | 'loop' | 'started_at'> & {
      overrides: string;
    }
  >({
    name: 'escalation-fire-read',
    text: `SELECT e.incident_id, e.policy, e.state, e.epoch, e.step, e.loop, e.started_at,
       ${currentOverridesJson('$2')} AS overrides
     FROM escalations e WHERE e.incident_id = $1`,
    values: [incidentId, now],
  });
  const row = rows[0];
  if (!row) return null;
  return {
    escalation: {
      incidentId: row.incident_id,
      policy: row.policy,
      state: row.state,
      epoch: row.epoch,
      step: row.step,
      loop: row.loop,
      startedAt: row.started_at,
    },
    overrides: parseOverrides(row.overrides),
  };
}

/** A step timer's decision: where the escalation goes, what the timeline records, whom it pages. */
export interface FireDecision {
  incidentId: number;
  /**
   * What the decision was taken from: it applies only if the escalation (the one started at
   * `startedAt`) is still triggered at this position and the overrides in force are still these.
   */
  from: { epoch: number; step: number; loop: number; startedAt: Date; overridesJson: string };
  to: { state: 'triggered' | 'exhausted'; step: number; loop: number; nextStepAt: Date | null };
  occurredAt: Date;
  /** Appended in order, all at `occurredAt`. */
  events: TimelineEventInput[];
  /** Pages of one level, at `pagesAt` (in the same epoch); a page that exists already is not created again. */
  pagesAt: { step: number; loop: number };
  pages: { target: string; via: string }[];
  /** Outbox rows written with the decision (the exhausted announcement and a card refresh). */
  effects: OutboxEntry[];
}

/**
 * Applies decisions (of different escalations) in one statement, which is its own transaction: for
 * each, a compare-and-set on the escalation's position under the row lock (rows locked in id order),
 * and in the same transaction its timeline events and pages. A concurrent acknowledge, resolve or
 * escalate waits for the lock (or made this statement wait and then fail that escalation's compare),
 * so nothing is written for an escalation that moved on: its `applied` is then false, as it is when
 * the overrides in force are no longer those its decision was taken with. Results are in input order.
 */
export async function applyFireDecisions(
  db: Queryable,
  decisions: FireDecision[],
): Promise<{ applied: boolean; pageIds: number[] }[]> {
  const input = decisions.map((d) => ({
    incident_id: d.incidentId,
    epoch: d.from.epoch,
    step: d.from.step,
    loop: d.from.loop,
    started_at: d.from.startedAt,
    overrides: d.from.overridesJson,
    state: d.to.state,
    to_step: d.to.step,
    to_loop: d.to.loop,
    next_step_at: d.to.nextStepAt,
    occurred_at: d.occurredAt,
    events: d.events,
    page_step: d.pagesAt.step,
    page_loop: d.pagesAt.loop,
    pages: d.pages,
    effects: outboxEntriesJson(d.effects),
  }));
  const { rows } = await db.query<{ incident_id: number; page_ids: string[] }>({
    name: 'escalation-fire-apply',
    text: `WITH d AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(
         incident_id bigint, epoch int, step int, loop int, started_at timestamptz, overrides text,
         state text, to_step int, to_loop int, next_step_at timestamptz, occurred_at timestamptz,
         events jsonb, page_step int, page_loop int, pages jsonb, effects jsonb)
     ), locked AS (
       SELECT e.incident_id FROM escalations e JOIN d ON d.incident_id = e.incident_id
       WHERE e.state = 'triggered' AND e.epoch = d.epoch AND e.step = d.step AND e.loop = d.loop
         AND e.started_at = d.started_at AND d.overrides = ${currentOverridesJson('d.occurred_at')}
       ORDER BY e.incident_id
       FOR UPDATE OF e
     ), esc AS (
       UPDATE escalations e
       SET state = d.state, step = d.to_step, loop = d.to_loop, next_step_at = d.next_step_at, updated_at = now()
       FROM d
       WHERE e.incident_id = d.incident_id AND e.incident_id IN (SELECT incident_id FROM locked)
         AND e.state = 'triggered' AND e.epoch = d.epoch AND e.step = d.step AND e.loop = d.loop
       RETURNING e.incident_id, e.epoch
     ), events AS (
       INSERT INTO timeline_events (incident_id, kind, occurred_at, details)
       SELECT d.incident_id, ev.value->>'kind', d.occurred_at, ev.value->'details'
       FROM esc JOIN d ON d.incident_id = esc.incident_id,
         jsonb_array_elements(d.events) WITH ORDINALITY AS ev(value, ord)
       ORDER BY d.incident_id, ev.ord
     ), paged AS (
       INSERT INTO pages (incident_id, epoch, step, loop, target, via)
       SELECT d.incident_id, esc.epoch, d.page_step, d.page_loop, p.value->>'target', p.value->>'via'
       FROM esc JOIN d ON d.incident_id = esc.incident_id, jsonb_array_elements(d.pages) AS p(value)
       ON CONFLICT (incident_id, epoch, step, loop, target) DO NOTHING
       RETURNING incident_id, id
     ), effects AS (
       ${upsertOutboxSql(`(SELECT f.* FROM esc JOIN d ON d.incident_id = esc.incident_id,
         jsonb_to_recordset(d.effects) AS f(${OUTBOX_RECORDSET})) f`)}
     )
     SELECT esc.incident_id,
       ARRAY(SELECT paged.id FROM paged WHERE paged.incident_id = esc.incident_id ORDER BY paged.id)::text[]
         AS page_ids
     FROM esc`,
    values: [JSON.stringify(input)],
  });
  const byIncident = new Map(rows.map((r) => [r.incident_id, r.page_ids.map(Number)]));
  return decisions.map((d) => {
    const pageIds = byIncident.get(d.incidentId);
    return pageIds ? { applied: true, pageIds } : { applied: false, pageIds: [] };
  });
}

/** A start: the escalation with a snapshot of its policy, and its `escalation.started` event. */
export interface StartEscalation {
  incidentId: number;
  policyName: string;
  policy: EscalationPolicy;
  startedAt: Date;
  event: TimelineEventInput;
  /** Outbox rows written with the start (the card refresh). */
  effects: OutboxEntry[];
}

/**
 * Starts paging (of different incidents) in one statement: each escalation with its first timeline
 * event. A start for an incident that has an escalation already does nothing: its result is false.
 * Results are in input order.
 */
export async function insertEscalationsStarted(db: Queryable, starts: StartEscalation[]): Promise<boolean[]> {
  const input = starts.map((s) => ({
    incident_id: s.incidentId,
    policy_name: s.policyName,
    policy: s.policy,
    started_at: s.startedAt,
    kind: s.event.kind,
    details: s.event.details,
    effects: outboxEntriesJson(s.effects),
  }));
  const { rows } = await db.query<{ incident_id: number }>({
    name: 'escalation-start',
    text: `WITH d AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(
         incident_id bigint, policy_name text, policy jsonb, started_at timestamptz, kind text, details jsonb,
         effects jsonb)
     ), esc AS (
       INSERT INTO escalations (incident_id, policy_name, policy, state, next_step_at, started_at)
       SELECT incident_id, policy_name, policy, 'triggered', started_at, started_at FROM d ORDER BY incident_id
       ON CONFLICT (incident_id) DO NOTHING
       RETURNING incident_id
     ), events AS (
       INSERT INTO timeline_events (incident_id, kind, occurred_at, details)
       SELECT d.incident_id, d.kind, d.started_at, d.details FROM esc JOIN d ON d.incident_id = esc.incident_id
     ), effects AS (
       ${upsertOutboxSql(`(SELECT f.* FROM esc JOIN d ON d.incident_id = esc.incident_id,
         jsonb_to_recordset(d.effects) AS f(${OUTBOX_RECORDSET})) f`)}
     )
     SELECT incident_id FROM esc`,
    values: [JSON.stringify(input)],
  });
  const started = new Set(rows.map((r) => r.incident_id));
  return starts.map((s) => started.has(s.incidentId));
}
