import type { Queryable } from '../db/pool.js';

export type CoverStatus = 'open' | 'taken' | 'cancelled' | 'expired';

/** A cover request: `requestedBy` asks someone to be on call for `schedule` over [startsAt, endsAt). */
export interface CoverRequest {
  id: number;
  schedule: string;
  requestedBy: string;
  startsAt: Date;
  endsAt: Date;
  /** As the requester typed it (plain text; escaped by the views). */
  reason: string | null;
  status: CoverStatus;
  /** Who took it (taken) or cancelled it (cancelled); null while open and once expired. */
  closedBy: string | null;
  closedAt: Date | null;
  overrideId: number | null;
}

/** One copy of a request posted in Slack. */
export interface CoverPost {
  channelId: string;
  ts: string;
  /** The person a DM copy is for; null for the team channel's copy. */
  recipient: string | null;
}

type Row = {
  id: number;
  schedule: string;
  requested_by: string;
  starts_at: Date;
  ends_at: Date;
  reason: string | null;
  status: CoverStatus;
  closed_by: string | null;
  closed_at: Date | null;
  override_id: number | null;
};

const COLUMNS =
  'id, schedule, requested_by, starts_at, ends_at, reason, status, closed_by, closed_at, override_id';

const toRequest = (r: Row): CoverRequest => ({
  id: Number(r.id),
  schedule: r.schedule,
  requestedBy: r.requested_by,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  reason: r.reason,
  status: r.status,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
  overrideId: r.override_id === null ? null : Number(r.override_id),
});

export async function insertCoverRequest(
  db: Queryable,
  input: { schedule: string; requestedBy: string; startsAt: Date; endsAt: Date; reason: string | null },
): Promise<CoverRequest> {
  const { rows } = await db.query<Row>(
    `INSERT INTO cover_requests (schedule, requested_by, starts_at, ends_at, reason)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [input.schedule, input.requestedBy, input.startsAt, input.endsAt, input.reason],
  );
  return toRequest(rows[0]!);
}

export async function findCoverRequest(db: Queryable, id: number): Promise<CoverRequest | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM cover_requests WHERE id = $1`, [id]);
  return rows[0] ? toRequest(rows[0]) : null;
}

/** The request, locked until the transaction ends: whoever holds it decides (take, cancel, expire). */
export async function lockCoverRequest(db: Queryable, id: number): Promise<CoverRequest | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM cover_requests WHERE id = $1 FOR UPDATE`, [
    id,
  ]);
  return rows[0] ? toRequest(rows[0]) : null;
}

/** Open requests of `requestedBy` on `schedule` overlapping [from, to). */
export async function findOverlappingOpenRequest(
  db: Queryable,
  input: { schedule: string; requestedBy: string; from: Date; to: Date },
): Promise<CoverRequest | null> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM cover_requests
     WHERE status = 'open' AND schedule = $1 AND requested_by = $2 AND starts_at < $4 AND ends_at > $3
     ORDER BY id LIMIT 1`,
    [input.schedule, input.requestedBy, input.from, input.to],
  );
  return rows[0] ? toRequest(rows[0]) : null;
}

/**
 * Closes an open request: the compare-and-set every outcome goes through. False when it was not
 * open any more (someone else closed it first), so exactly one taker wins.
 */
export async function closeCoverRequest(
  db: Queryable,
  id: number,
  change: { status: Exclude<CoverStatus, 'open'>; by: string | null; at: Date; overrideId?: number },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE cover_requests SET status = $2, closed_by = $3, closed_at = $4, override_id = $5
     WHERE id = $1 AND status = 'open'`,
    [id, change.status, change.by, change.at, change.overrideId ?? null],
  );
  return rowCount === 1;
}

/** Open requests whose start has come by `now`, marked expired; their ids. */
export async function expireDueCoverRequests(db: Queryable, now: Date): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE cover_requests SET status = 'expired', closed_at = $1
     WHERE status = 'open' AND starts_at <= $1 RETURNING id`,
    [now],
  );
  return rows.map((r) => Number(r.id));
}

export async function listCoverPosts(db: Queryable, requestId: number): Promise<CoverPost[]> {
  const { rows } = await db.query<{ channel_id: string; ts: string; recipient: string | null }>(
    'SELECT channel_id, ts, recipient FROM cover_request_posts WHERE request_id = $1 ORDER BY channel_id',
    [requestId],
  );
  return rows.map((r) => ({ channelId: r.channel_id, ts: r.ts, recipient: r.recipient }));
}

/** Records a copy; a copy already recorded in that channel is kept (a repeated post job). */
export async function insertCoverPost(db: Queryable, requestId: number, post: CoverPost): Promise<void> {
  await db.query(
    `INSERT INTO cover_request_posts (request_id, channel_id, ts, recipient) VALUES ($1, $2, $3, $4)
     ON CONFLICT (request_id, channel_id) DO NOTHING`,
    [requestId, post.channelId, post.ts, post.recipient],
  );
}

/** Deletes requests whose window ended before `before` (their copies go with them); returns how many. */
export async function deleteCoverRequestsEndedBefore(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM cover_requests WHERE ends_at < $1', [before]);
  return rowCount ?? 0;
}
