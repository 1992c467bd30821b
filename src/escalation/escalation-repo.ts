import type { Queryable } from '../db/pool.js';
import type { EscalationPolicy } from './oncall-config.js';

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

export async function updateEscalationPosition(
  db: Queryable,
  incidentId: number,
  fields: { state: EscalationState; step: number; loop: number; nextStepAt: Date | null },
): Promise<void> {
  await db.query(
    `UPDATE escalations SET state = $2, step = $3, loop = $4, next_step_at = $5, updated_at = now()
     WHERE incident_id = $1`,
    [incidentId, fields.state, fields.step, fields.loop, fields.nextStepAt],
  );
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
  if (!current || current.state !== 'triggered') return null;
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

export interface Page {
  id: number;
  incidentId: number;
  epoch: number;
  step: number;
  loop: number;
  target: string;
  userId: string | null;
  via: string;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  dmChannelId: string | null;
  dmTs: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

interface PageRow {
  id: number;
  incident_id: number;
  epoch: number;
  step: number;
  loop: number;
  target: string;
  user_id: string | null;
  via: string;
  status: Page['status'];
  dm_channel_id: string | null;
  dm_ts: string | null;
  created_at: Date;
  sent_at: Date | null;
}

const PAGE_COLUMNS =
  'id, incident_id, epoch, step, loop, target, user_id, via, status, dm_channel_id, dm_ts, created_at, sent_at';

function toPage(row: PageRow): Page {
  return {
    id: row.id,
    incidentId: row.incident_id,
    epoch: row.epoch,
    step: row.step,
    loop: row.loop,
    target: row.target,
    userId: row.user_id,
    via: row.via,
    status: row.status,
    dmChannelId: row.dm_channel_id,
    dmTs: row.dm_ts,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** Inserts the pages of one level; a page that exists already (a timer run twice) is not created again. */
export async function insertPages(
  db: Queryable,
  incidentId: number,
  position: { epoch: number; step: number; loop: number },
  targets: { target: string; via: string }[],
): Promise<Page[]> {
  if (targets.length === 0) return [];
  const { rows } = await db.query<PageRow>(
    `INSERT INTO pages (incident_id, epoch, step, loop, target, via)
     SELECT $1, $2, $3, $4, t.target, t.via FROM unnest($5::text[], $6::text[]) AS t(target, via)
     ON CONFLICT (incident_id, epoch, step, loop, target) DO NOTHING
     RETURNING ${PAGE_COLUMNS}`,
    [
      incidentId,
      position.epoch,
      position.step,
      position.loop,
      targets.map((t) => t.target),
      targets.map((t) => t.via),
    ],
  );
  return rows.map(toPage);
}

export async function findPage(db: Queryable, id: number): Promise<Page | null> {
  const { rows } = await db.query<PageRow>(`SELECT ${PAGE_COLUMNS} FROM pages WHERE id = $1`, [id]);
  return rows[0] ? toPage(rows[0]) : null;
}

export async function listPages(db: Queryable, incidentId: number): Promise<Page[]> {
  const { rows } = await db.query<PageRow>(
    `SELECT ${PAGE_COLUMNS} FROM pages WHERE incident_id = $1 ORDER BY id`,
    [incidentId],
  );
  return rows.map(toPage);
}

export async function markPageSent(
  db: Queryable,
  id: number,
  fields: { userId: string; dmChannelId: string; dmTs: string; at: Date },
): Promise<void> {
  await db.query(
    `UPDATE pages SET status = 'sent', user_id = $2, dm_channel_id = $3, dm_ts = $4, sent_at = $5, error = NULL
     WHERE id = $1`,
    [id, fields.userId, fields.dmChannelId, fields.dmTs, fields.at],
  );
}

export async function markPageUnsent(
  db: Queryable,
  id: number,
  status: 'failed' | 'skipped',
  error: string | null,
): Promise<void> {
  await db.query(`UPDATE pages SET status = $2, error = $3 WHERE id = $1 AND status = 'pending'`, [
    id,
    status,
    error,
  ]);
}

export async function listStalePendingPages(db: Queryable, before: Date): Promise<Page[]> {
  const { rows } = await db.query<PageRow>(
    `SELECT ${PAGE_COLUMNS} FROM pages WHERE status = 'pending' AND created_at < $1 ORDER BY id LIMIT 1000`,
    [before],
  );
  return rows.map(toPage);
}
