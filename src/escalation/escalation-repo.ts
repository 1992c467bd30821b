import type { Queryable } from '../db/pool.js';
import type { EscalationPolicy } from './oncall-config.js';

export type EscalationState = 'triggered' | 'acknowledged' | 'resolved' | 'exhausted';

/** What an escalation pages for: an incident or an alert group (exactly one). */
export type EscalationSubject = { incidentId: number } | { alertGroupId: number };

/**
 * How a statement names one escalation: by its own id, by its subject (an incident's own escalation,
 * not a team paged in), or by id within an incident (a button's value, checked against its incident).
 */
export type EscalationRef = { id: number } | EscalationSubject | { incidentId: number; escalationId: number };

/** Another service's policy paged into an incident (`/incident page service:payments`): who asked, why. */
export interface EngagedTeam {
  service: string;
  by: string;
  reason: string | null;
}

export interface Escalation {
  id: number;
  /** The incident it pages for, or null for an alert group's escalation. */
  incidentId: number | null;
  /** The alert group it pages for, or null for an incident's escalation. */
  alertGroupId: number | null;
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
  /** Null for an incident's own escalation (and an alert group's); set for a team paged in. */
  team: EngagedTeam | null;
}

export interface EscalationRow {
  id: number;
  incident_id: number | null;
  alert_group_id: number | null;
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
  engaged_service: string | null;
  engaged_by: string | null;
  engaged_reason: string | null;
}

export const ESCALATION_COLUMNS =
  'id, incident_id, alert_group_id, policy_name, policy, state, epoch, step, loop, next_step_at, acknowledged_by, acknowledged_at, started_at, engaged_service, engaged_by, engaged_reason';
const COLUMNS = ESCALATION_COLUMNS;

export function toEscalation(row: EscalationRow): Escalation {
  return {
    id: row.id,
    incidentId: row.incident_id,
    alertGroupId: row.alert_group_id,
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
    team: row.engaged_service
      ? { service: row.engaged_service, by: row.engaged_by!, reason: row.engaged_reason }
      : null,
  };
}

/** The WHERE condition (on parameters from $1) that names `ref`'s escalation, and their values. */
export function refCondition(ref: EscalationRef): { where: string; values: number[] } {
  if ('id' in ref) return { where: 'id = $1', values: [ref.id] };
  if ('escalationId' in ref)
    return { where: 'id = $1 AND incident_id = $2', values: [ref.escalationId, ref.incidentId] };
  if ('incidentId' in ref)
    return {
      where: 'incident_id = $1 AND engaged_service IS NULL',
      values: [ref.incidentId],
    };
  return { where: 'alert_group_id = $1', values: [ref.alertGroupId] };
}

/** The subject an escalation pages for. */
export function subjectOf(esc: Pick<Escalation, 'incidentId' | 'alertGroupId'>): EscalationSubject {
  return esc.incidentId !== null ? { incidentId: esc.incidentId } : { alertGroupId: esc.alertGroupId! };
}

/**
 * Starts paging an incident with a snapshot of the policy: its own paging, or (`team`) another
 * service's. A second start for the same incident and team does nothing (null): the unique key decides.
 */
export async function insertEscalation(
  db: Queryable,
  input: {
    incidentId: number;
    policyName: string;
    policy: EscalationPolicy;
    startedAt: Date;
    team?: EngagedTeam;
  },
): Promise<Escalation | null> {
  const { team } = input;
  const { rows } = await db.query<EscalationRow>(
    `INSERT INTO escalations (incident_id, policy_name, policy, state, next_step_at, started_at,
       engaged_service, engaged_by, engaged_reason)
     VALUES ($1, $2, $3, 'triggered', $4, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      input.incidentId,
      input.policyName,
      JSON.stringify(input.policy),
      input.startedAt,
      team?.service ?? null,
      team?.by ?? null,
      team?.reason ?? null,
    ],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/** The escalation `ref` names: by id, or the own one of an incident (a number) or an alert group's. */
export async function findEscalation(db: Queryable, ref: EscalationRef | number): Promise<Escalation | null> {
  const { where, values } = refCondition(typeof ref === 'number' ? { incidentId: ref } : ref);
  const { rows } = await db.query<EscalationRow>(`SELECT ${COLUMNS} FROM escalations WHERE ${where}`, values);
  return rows[0] ? toEscalation(rows[0]) : null;
}

/** The escalation of the team `service` paged into an incident, if it was. */
export async function findEngagedEscalation(
  db: Queryable,
  incidentId: number,
  service: string,
): Promise<Escalation | null> {
  const { rows } = await db.query<EscalationRow>(
    `SELECT ${COLUMNS} FROM escalations WHERE incident_id = $1 AND engaged_service = $2`,
    [incidentId, service],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/**
 * Pages a team paged in before, whose paging was stopped (the incident was resolved, then reopened),
 * again from its first level in a new epoch, for whoever asks now. A compare-and-set: of two asking
 * at once, one does it.
 */
export async function reengageEscalation(
  db: Queryable,
  escalationId: number,
  fields: { by: string; reason: string | null; at: Date },
): Promise<Escalation | null> {
  const { rows } = await db.query<EscalationRow>(
    `UPDATE escalations SET state = 'triggered', epoch = epoch + 1, step = 0, loop = 0, next_step_at = $2,
       acknowledged_by = NULL, acknowledged_at = NULL, engaged_by = $3, engaged_reason = $4, updated_at = now()
     WHERE id = $1 AND state = 'resolved' AND engaged_service IS NOT NULL
     RETURNING ${COLUMNS}`,
    [escalationId, fields.at, fields.by, fields.reason],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/** Every escalation of an incident: its own first, then the teams paged in, in the order they were. */
export async function listIncidentEscalations(db: Queryable, incidentId: number): Promise<Escalation[]> {
  const { rows } = await db.query<EscalationRow>(
    `SELECT ${COLUMNS} FROM escalations WHERE incident_id = $1
     ORDER BY engaged_service IS NOT NULL, id`,
    [incidentId],
  );
  return rows.map(toEscalation);
}

/** The row lock every paging decision is made under. */
export async function findEscalationForUpdate(db: Queryable, ref: EscalationRef): Promise<Escalation | null> {
  const { where, values } = refCondition(ref);
  const { rows } = await db.query<EscalationRow>(
    `SELECT ${COLUMNS} FROM escalations WHERE ${where} FOR UPDATE`,
    values,
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/**
 * The acknowledge compare-and-set: only a triggered escalation can be acknowledged, and only once.
 * Bumps the epoch so every pending timer becomes a no-op.
 */
export async function acknowledgeEscalation(
  db: Queryable,
  ref: EscalationRef,
  userId: string,
  clockNow: () => Date,
  nextStepAt: (policy: EscalationPolicy, at: Date) => Date | null,
): Promise<Escalation | null> {
  const current = await findEscalationForUpdate(db, ref);
  if (current?.state !== 'triggered') return null;
  // Read the time only once the lock is ours: a level that fired while we waited came first.
  const at = clockNow();
  const { rows } = await db.query<EscalationRow>(
    `UPDATE escalations SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3,
       epoch = epoch + 1, next_step_at = $4, updated_at = now()
     WHERE id = $1 AND state = 'triggered'
     RETURNING ${COLUMNS}`,
    [current.id, userId, at, nextStepAt(current.policy, at)],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/** Moves to a new epoch with the given position (escalate now, re-trigger after an ack timeout). */
export async function restartEscalation(
  db: Queryable,
  escalationId: number,
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
     WHERE id = $1 AND state = ANY($2) AND ($6::int IS NULL OR epoch = $6)
     RETURNING ${COLUMNS}`,
    [
      escalationId,
      fields.fromStates,
      fields.step,
      fields.loop,
      fields.nextStepAt,
      fields.expectedEpoch ?? null,
    ],
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

const RESOLVE = `UPDATE escalations SET state = 'resolved', epoch = epoch + 1, next_step_at = NULL, updated_at = now()`;
const NOT_RESOLVED = `state IN ('triggered', 'acknowledged', 'exhausted')`;

export async function resolveEscalation(db: Queryable, ref: EscalationRef): Promise<Escalation | null> {
  const { where, values } = refCondition(ref);
  const { rows } = await db.query<EscalationRow>(
    `${RESOLVE} WHERE ${where} AND ${NOT_RESOLVED} RETURNING ${COLUMNS}`,
    values,
  );
  return rows[0] ? toEscalation(rows[0]) : null;
}

/** Resolving an incident stops every escalation it has: its own and every team's paged in. */
export async function resolveIncidentEscalations(db: Queryable, incidentId: number): Promise<Escalation[]> {
  const { rows } = await db.query<EscalationRow>(
    `${RESOLVE} WHERE incident_id = $1 AND ${NOT_RESOLVED} RETURNING ${COLUMNS}`,
    [incidentId],
  );
  return rows
    .map(toEscalation)
    .sort((a, b) => Number(a.team !== null) - Number(b.team !== null) || a.id - b.id);
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
