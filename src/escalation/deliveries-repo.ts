import type { Queryable } from '../db/pool.js';
import type { Channel } from './people.js';

export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'throttled' | 'skipped';

export interface Delivery {
  id: number;
  pageId: number;
  person: string;
  step: number;
  channel: Channel;
  target: string;
  status: DeliveryStatus;
  receipt: string | null;
  error: string | null;
  attempts: number;
  dueAt: Date;
  sentAt: Date | null;
}

interface DeliveryRow {
  id: string;
  page_id: string;
  person: string;
  step: number;
  channel: Channel;
  target: string;
  status: DeliveryStatus;
  receipt: string | null;
  error: string | null;
  attempts: number;
  due_at: Date;
  sent_at: Date | null;
}

const COLUMNS =
  'id, page_id, person, step, channel, target, status, receipt, error, attempts, due_at, sent_at';

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: Number(row.id),
    pageId: Number(row.page_id),
    person: row.person,
    step: row.step,
    channel: row.channel,
    target: row.target,
    status: row.status,
    receipt: row.receipt,
    error: row.error,
    attempts: row.attempts,
    dueAt: row.due_at,
    sentAt: row.sent_at,
  };
}

export interface PlannedDelivery {
  pageId: number;
  person: string;
  step: number;
  channel: Channel;
  target: string;
  dueAt: Date;
}

/** Plans one step; planning the same (page, step) again returns the row already there. */
export async function insertDelivery(db: Queryable, planned: PlannedDelivery): Promise<Delivery> {
  const { rows } = await db.query<DeliveryRow>(
    `WITH inserted AS (
       INSERT INTO deliveries (page_id, person, step, channel, target, due_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (page_id, step) DO NOTHING
       RETURNING ${COLUMNS}
     )
     SELECT ${COLUMNS} FROM inserted
     UNION ALL SELECT ${COLUMNS} FROM deliveries WHERE page_id = $1 AND step = $3
     LIMIT 1`,
    [planned.pageId, planned.person, planned.step, planned.channel, planned.target, planned.dueAt],
  );
  return toDelivery(rows[0]!);
}

/** Plans many steps at once (a page by hand); rows planned already are left alone. Returns the new rows. */
export async function insertDeliveries(
  db: Queryable,
  planned: readonly PlannedDelivery[],
): Promise<{ id: number; dueAt: Date }[]> {
  if (planned.length === 0) return [];
  const { rows } = await db.query<{ id: string; due_at: Date }>(
    `INSERT INTO deliveries (page_id, person, step, channel, target, due_at)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[])
     ON CONFLICT (page_id, step) DO NOTHING
     RETURNING id, due_at`,
    [
      planned.map((p) => p.pageId),
      planned.map((p) => p.person),
      planned.map((p) => p.step),
      planned.map((p) => p.channel),
      planned.map((p) => p.target),
      planned.map((p) => p.dueAt),
    ],
  );
  return rows.map((row) => ({ id: Number(row.id), dueAt: row.due_at }));
}

export async function findDelivery(db: Queryable, id: number): Promise<Delivery | null> {
  const { rows } = await db.query<DeliveryRow>(`SELECT ${COLUMNS} FROM deliveries WHERE id = $1`, [id]);
  return rows[0] ? toDelivery(rows[0]) : null;
}

export async function listDeliveries(db: Queryable, pageId: number): Promise<Delivery[]> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT ${COLUMNS} FROM deliveries WHERE page_id = $1 ORDER BY step`,
    [pageId],
  );
  return rows.map(toDelivery);
}

/**
 * Takes a pending delivery for sending: only one worker gets it, and a claim older than `staleBefore`
 * (its worker died mid-send) can be taken over. Null: not pending, or someone else is sending it.
 */
export async function claimDelivery(
  db: Queryable,
  id: number,
  now: Date,
  staleBefore: Date,
): Promise<Delivery | null> {
  const { rows } = await db.query<DeliveryRow>(
    `UPDATE deliveries SET claimed_at = $2
     WHERE id = $1 AND status = 'pending' AND (claimed_at IS NULL OR claimed_at < $3)
     RETURNING ${COLUMNS}`,
    [id, now, staleBefore],
  );
  return rows[0] ? toDelivery(rows[0]) : null;
}

/** Gives a claimed step back untouched (nothing was sent), so a retry need not wait out the lease. */
export async function releaseDelivery(db: Queryable, id: number): Promise<void> {
  await db.query(`UPDATE deliveries SET claimed_at = NULL WHERE id = $1 AND status = 'pending'`, [id]);
}

/** Records how a claimed delivery ended; false if it was no longer pending (stopped by an ack meanwhile). */
export async function finishDelivery(
  db: Queryable,
  id: number,
  outcome: {
    status: Exclude<DeliveryStatus, 'pending'>;
    receipt?: string;
    error?: string;
    attempts: number;
    at: Date;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE deliveries SET status = $2, receipt = $3, error = $4, attempts = attempts + $5,
       sent_at = CASE WHEN $2 = 'sent' THEN $6::timestamptz END, claimed_at = NULL
     WHERE id = $1 AND status = 'pending'`,
    [id, outcome.status, outcome.receipt ?? null, outcome.error ?? null, outcome.attempts, outcome.at],
  );
  return rowCount === 1;
}

/**
 * Stops every pending step of an escalation's pages (an acknowledgement from any channel, a resolve,
 * paging again): in the transaction of that change. A step being sent right now (claimed) is left to
 * its worker, whose `isPageOpen` check is the backstop. Returns how many were stopped.
 */
export async function skipPendingDeliveries(
  db: Queryable,
  escalationId: number,
  reason: string,
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE deliveries d SET status = 'skipped', error = $2
     FROM pages p
     WHERE p.escalation_id = $1 AND d.page_id = p.id AND d.status = 'pending' AND d.claimed_at IS NULL`,
    [escalationId, reason],
  );
  return rowCount ?? 0;
}

/** Pending steps past due whose job may be lost (or whose worker died past its lease): for the reconciler. */
export async function listOverdueDeliveries(
  db: Queryable,
  before: Date,
  staleClaimBefore: Date,
): Promise<{ id: number; dueAt: Date }[]> {
  const { rows } = await db.query<{ id: string; due_at: Date }>(
    `SELECT id, due_at FROM deliveries
     WHERE status = 'pending' AND due_at < $1 AND (claimed_at IS NULL OR claimed_at < $2)
     ORDER BY due_at LIMIT 1000`,
    [before, staleClaimBefore],
  );
  return rows.map((row) => ({ id: Number(row.id), dueAt: row.due_at }));
}

/** When earlier messages of `channel` to `target` were sent since `since` (the throttle's input). */
export async function listSentSince(
  db: Queryable,
  channel: Channel,
  target: string,
  since: Date,
): Promise<Date[]> {
  const { rows } = await db.query<{ sent_at: Date }>(
    `SELECT sent_at FROM deliveries WHERE status = 'sent' AND channel = $1 AND target = $2 AND sent_at > $3`,
    [channel, target, since],
  );
  return rows.map((row) => row.sent_at);
}

/**
 * Whether the page still wants an answer: its escalation is still triggered at the page's epoch (an
 * acknowledgement from any channel, or a resolve, stops every pending step).
 */
export async function isPageOpen(db: Queryable, pageId: number): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM pages p JOIN escalations e ON e.id = p.escalation_id
     WHERE p.id = $1 AND e.state = 'triggered' AND e.epoch = p.epoch`,
    [pageId],
  );
  return rows.length > 0;
}
