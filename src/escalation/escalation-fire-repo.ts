import type { Queryable } from '../db/pool.js';
import {
  OUTBOX_RECORDSET,
  type OutboxEntry,
  outboxEntriesJson,
  upsertOutboxSql,
} from '../jobs/outbox-repo.js';
import type { TimelineEventInput } from '../timeline/timeline-events.js';
import type { PlannedStep } from './delivery-plan.js';
import type { Escalation, EscalationSubject } from './escalation-repo.js';
import type { EscalationPolicy } from './oncall-config.js';
import type { StoredOverride } from './overrides-repo.js';

/**
 * The engine's hot statements: starting escalations and applying step-timer decisions, each many
 * escalations (of incidents and alert groups alike) in one statement. Timeline events are written
 * for an incident's escalation only: an alert group has no timeline (its pages are its record).
 */

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
  /** What `applyFireDecisions` compares against the overrides in force when it applies. */
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
  escalation: Pick<
    Escalation,
    'id' | 'incidentId' | 'alertGroupId' | 'policy' | 'state' | 'epoch' | 'step' | 'loop' | 'startedAt'
  >;
  overrides: CurrentOverrides;
}

/** One round trip: the escalation and the overrides in force at `now`. */
export async function readFireSnapshot(
  db: Queryable,
  escalationId: number,
  now: Date,
): Promise<FireSnapshot | null> {
  const { rows } = await db.query<{
    id: number;
    incident_id: number | null;
    alert_group_id: number | null;
    policy: EscalationPolicy;
    state: Escalation['state'];
    epoch: number;
    step: number;
    loop: number;
    started_at: Date;
    overrides: string;
  }>({
    name: 'escalation-fire-read',
    text: `SELECT e.id, e.incident_id, e.alert_group_id, e.policy, e.state, e.epoch, e.step, e.loop, e.started_at,
       ${currentOverridesJson('$2')} AS overrides
     FROM escalations e WHERE e.id = $1`,
    values: [escalationId, now],
  });
  const row = rows[0];
  if (!row) return null;
  return {
    escalation: {
      id: row.id,
      incidentId: row.incident_id,
      alertGroupId: row.alert_group_id,
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
  escalationId: number;
  subject: EscalationSubject;
  /**
   * What the decision was taken from: it applies only if the escalation (the one started at
   * `startedAt`) is still triggered at this position and the overrides in force are still these.
   */
  from: { epoch: number; step: number; loop: number; startedAt: Date; overridesJson: string };
  to: { state: 'triggered' | 'exhausted'; step: number; loop: number; nextStepAt: Date | null };
  occurredAt: Date;
  /** Appended in order, all at `occurredAt` (an incident's escalation only). */
  events: TimelineEventInput[];
  /** Pages of one level, at `pagesAt` (in the same epoch); a page that exists already is not created again. */
  pagesAt: { step: number; loop: number };
  /** Each with the person's non-Slack steps, planned as `deliveries` rows of the new page (due after `occurredAt`). */
  pages: { target: string; via: string; steps?: PlannedStep[] }[];
  /** Outbox rows written with the decision (the exhausted announcement and a refresh). */
  effects: OutboxEntry[];
}

/** A planned step's row, to wake its `delivery.send` job at `dueAt` once the statement committed. */
export interface DueDelivery {
  id: number;
  dueAt: Date;
}

/**
 * Applies decisions (of different escalations) in one statement, which is its own transaction: for
 * each, a compare-and-set on the escalation's position under the row lock (rows locked in id order),
 * and in the same transaction its timeline events, pages and the pages' planned steps (deliveries). A concurrent acknowledge, resolve or
 * escalate waits for the lock (or made this statement wait and then fail that escalation's compare),
 * so nothing is written for an escalation that moved on: its `applied` is then false, as it is when
 * the overrides in force are no longer those its decision was taken with. Results are in input order.
 */
export async function applyFireDecisions(
  db: Queryable,
  decisions: FireDecision[],
): Promise<{ applied: boolean; pageIds: number[]; deliveries: DueDelivery[] }[]> {
  const input = decisions.map((d) => ({
    escalation_id: d.escalationId,
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
  const { rows } = await db.query<{
    id: number;
    page_ids: string[];
    deliveries: { id: number; due_at: string }[];
  }>({
    name: 'escalation-fire-apply',
    text: `WITH d AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(
         escalation_id bigint, epoch int, step int, loop int, started_at timestamptz, overrides text,
         state text, to_step int, to_loop int, next_step_at timestamptz, occurred_at timestamptz,
         events jsonb, page_step int, page_loop int, pages jsonb, effects jsonb)
     ), locked AS (
       SELECT e.id FROM escalations e JOIN d ON d.escalation_id = e.id
       WHERE e.state = 'triggered' AND e.epoch = d.epoch AND e.step = d.step AND e.loop = d.loop
         AND e.started_at = d.started_at AND d.overrides = ${currentOverridesJson('d.occurred_at')}
       ORDER BY e.id
       FOR UPDATE OF e
     ), esc AS (
       UPDATE escalations e
       SET state = d.state, step = d.to_step, loop = d.to_loop, next_step_at = d.next_step_at, updated_at = now()
       FROM d
       WHERE e.id = d.escalation_id AND e.id IN (SELECT id FROM locked)
         AND e.state = 'triggered' AND e.epoch = d.epoch AND e.step = d.step AND e.loop = d.loop
       RETURNING e.id, e.epoch, e.incident_id, e.alert_group_id, e.engaged_service
     ), events AS (
       -- A team paged into an incident says which on each event (details.service).
       INSERT INTO timeline_events (incident_id, kind, occurred_at, details)
       SELECT esc.incident_id, ev.value->>'kind', d.occurred_at,
         CASE WHEN esc.engaged_service IS NULL THEN ev.value->'details'
           ELSE ev.value->'details' || jsonb_build_object('service', esc.engaged_service) END
       FROM esc JOIN d ON d.escalation_id = esc.id,
         jsonb_array_elements(d.events) WITH ORDINALITY AS ev(value, ord)
       WHERE esc.incident_id IS NOT NULL
       ORDER BY esc.id, ev.ord
     ), paged AS (
       INSERT INTO pages (escalation_id, incident_id, alert_group_id, epoch, step, loop, target, via)
       SELECT esc.id, esc.incident_id, esc.alert_group_id, esc.epoch, d.page_step, d.page_loop,
         p.value->>'target', p.value->>'via'
       FROM esc JOIN d ON d.escalation_id = esc.id, jsonb_array_elements(d.pages) AS p(value)
       ON CONFLICT (escalation_id, epoch, step, loop, target) DO NOTHING
       RETURNING escalation_id, id, target
     ), planned AS (
       INSERT INTO deliveries (page_id, person, step, channel, target, due_at)
       SELECT paged.id, paged.target, (s.value->>'step')::int, s.value->>'channel', s.value->>'target',
         d.occurred_at + (s.value->>'afterMs')::bigint * interval '1 millisecond'
       FROM paged JOIN d ON d.escalation_id = paged.escalation_id
         JOIN jsonb_array_elements(d.pages) AS p(value) ON p.value->>'target' = paged.target,
         jsonb_array_elements(coalesce(p.value->'steps', '[]'::jsonb)) AS s(value)
       ON CONFLICT (page_id, step) DO NOTHING
       RETURNING page_id, id, due_at
     ), effects AS (
       ${upsertOutboxSql(`(SELECT f.* FROM esc JOIN d ON d.escalation_id = esc.id,
         jsonb_to_recordset(d.effects) AS f(${OUTBOX_RECORDSET})) f`)}
     )
     SELECT esc.id,
       ARRAY(SELECT paged.id FROM paged WHERE paged.escalation_id = esc.id ORDER BY paged.id)::text[]
         AS page_ids,
       (SELECT coalesce(json_agg(json_build_object('id', planned.id, 'due_at', planned.due_at)), '[]'::json)
        FROM planned JOIN paged ON paged.id = planned.page_id WHERE paged.escalation_id = esc.id) AS deliveries
     FROM esc`,
    values: [JSON.stringify(input)],
  });
  const byEscalation = new Map(rows.map((r) => [r.id, r]));
  return decisions.map((d) => {
    const row = byEscalation.get(d.escalationId);
    if (!row) return { applied: false, pageIds: [], deliveries: [] };
    return {
      applied: true,
      pageIds: row.page_ids.map(Number),
      deliveries: row.deliveries.map((r) => ({ id: Number(r.id), dueAt: new Date(r.due_at) })),
    };
  });
}

/** A start: the escalation with a snapshot of its policy, and (an incident's) `escalation.started` event. */
export interface StartEscalation {
  subject: EscalationSubject;
  policyName: string;
  policy: EscalationPolicy;
  startedAt: Date;
  event: TimelineEventInput;
  /** Outbox rows written with the start (the refresh of what shows the paging). */
  effects: OutboxEntry[];
}

/**
 * Starts paging (of different subjects) in one statement: each escalation with its first timeline
 * event. A start for a subject that has an escalation already does nothing: its result is null.
 * Results (the new escalations' ids) are in input order.
 */
export async function insertEscalationsStarted(
  db: Queryable,
  starts: StartEscalation[],
): Promise<(number | null)[]> {
  const input = starts.map((s) => ({
    incident_id: 'incidentId' in s.subject ? s.subject.incidentId : null,
    alert_group_id: 'alertGroupId' in s.subject ? s.subject.alertGroupId : null,
    policy_name: s.policyName,
    policy: s.policy,
    started_at: s.startedAt,
    kind: s.event.kind,
    details: s.event.details,
    effects: outboxEntriesJson(s.effects),
  }));
  const { rows } = await db.query<{ id: number; incident_id: number | null; alert_group_id: number | null }>({
    name: 'escalation-start',
    text: `WITH d AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(
         incident_id bigint, alert_group_id bigint, policy_name text, policy jsonb, started_at timestamptz,
         kind text, details jsonb, effects jsonb)
     ), esc AS (
       INSERT INTO escalations (incident_id, alert_group_id, policy_name, policy, state, next_step_at, started_at)
       SELECT incident_id, alert_group_id, policy_name, policy, 'triggered', started_at, started_at FROM d
       ORDER BY incident_id, alert_group_id
       ON CONFLICT DO NOTHING
       RETURNING id, incident_id, alert_group_id
     ), events AS (
       INSERT INTO timeline_events (incident_id, kind, occurred_at, details)
       SELECT d.incident_id, d.kind, d.started_at, d.details FROM esc JOIN d ON d.incident_id = esc.incident_id
     ), effects AS (
       ${upsertOutboxSql(`(SELECT f.* FROM esc
         JOIN d ON d.incident_id = esc.incident_id OR d.alert_group_id = esc.alert_group_id,
         jsonb_to_recordset(d.effects) AS f(${OUTBOX_RECORDSET})) f`)}
     )
     SELECT id, incident_id, alert_group_id FROM esc`,
    values: [JSON.stringify(input)],
  });
  const ids = new Map(rows.map((r) => [subjectKey(r.incident_id, r.alert_group_id), r.id]));
  return starts.map((s) => {
    const key =
      'incidentId' in s.subject
        ? subjectKey(s.subject.incidentId, null)
        : subjectKey(null, s.subject.alertGroupId);
    return ids.get(key) ?? null;
  });
}

/** One key per subject (for maps and batching): `inc-1`, `grp-1`. */
export function subjectKey(incidentId: number | null, alertGroupId: number | null): string {
  return incidentId !== null ? `inc-${incidentId}` : `grp-${alertGroupId}`;
}
