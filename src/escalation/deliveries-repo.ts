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

/** Records how a claimed delivery ended. */
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
): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = $2, receipt = $3, error = $4, attempts = attempts + $5,
       sent_at = CASE WHEN $2 = 'sent' THEN $6::timestamptz END, claimed_at = NULL
     WHERE id = $1 AND status = 'pending'`,
    [id, outcome.status, outcome.receipt ?? null, outcome.error ?? null, outcome.attempts, outcome.at],
  );
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
