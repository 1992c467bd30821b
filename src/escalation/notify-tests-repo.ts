import type { Queryable } from '../db/pool.js';
import type { Channel } from './people.js';

export type NotifyTestStatus = 'pending' | 'sent' | 'failed';

export interface NotifyTest {
  id: number;
  userId: string;
  person: string;
  channel: Channel;
  target: string;
  status: NotifyTestStatus;
  receipt: string | null;
  error: string | null;
  requestedAt: Date;
  claimedAt: Date | null;
  reportedAt: Date | null;
  /** A test call's final status (Twilio's status callback), once it came. */
  callStatus: string | null;
}

interface NotifyTestRow {
  id: string;
  user_id: string;
  person: string;
  channel: Channel;
  target: string;
  status: NotifyTestStatus;
  receipt: string | null;
  error: string | null;
  requested_at: Date;
  claimed_at: Date | null;
  reported_at: Date | null;
  call_status: string | null;
}

const COLUMNS =
  'id, user_id, person, channel, target, status, receipt, error, requested_at, claimed_at, reported_at, call_status';

const toTest = (row: NotifyTestRow): NotifyTest => ({
  id: Number(row.id),
  userId: row.user_id,
  person: row.person,
  channel: row.channel,
  target: row.target,
  status: row.status,
  receipt: row.receipt,
  error: row.error,
  requestedAt: row.requested_at,
  claimedAt: row.claimed_at,
  reportedAt: row.reported_at,
  callStatus: row.call_status,
});

/**
 * Serialises test requests of one (person, channel) until the transaction ends, so the throttle's
 * look at earlier requests and the insert are one step.
 */
export async function lockTestsOf(tx: Queryable, person: string, channel: Channel): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('notify-test'), hashtext($1 || '/' || $2))`, [
    person,
    channel,
  ]);
}

/** The test this click (user, channel, nonce) already asked for, or null. */
export async function findTestByNonce(
  db: Queryable,
  click: { userId: string; channel: Channel; nonce: string },
): Promise<NotifyTest | null> {
  const { rows } = await db.query<NotifyTestRow>(
    `SELECT ${COLUMNS} FROM notification_tests WHERE user_id = $1 AND channel = $2 AND nonce = $3`,
    [click.userId, click.channel, click.nonce],
  );
  return rows[0] ? toTest(rows[0]) : null;
}

/** When tests of `channel` to `person` were asked for since `since`, oldest first (the throttle's input). */
export async function listTestRequestsSince(
  db: Queryable,
  person: string,
  channel: Channel,
  since: Date,
): Promise<Date[]> {
  const { rows } = await db.query<{ requested_at: Date }>(
    `SELECT requested_at FROM notification_tests
     WHERE person = $1 AND channel = $2 AND requested_at > $3 ORDER BY requested_at`,
    [person, channel, since],
  );
  return rows.map((row) => row.requested_at);
}

export async function insertTest(
  db: Queryable,
  test: {
    userId: string;
    nonce: string;
    person: string;
    channel: Channel;
    target: string;
    requestedAt: Date;
  },
): Promise<NotifyTest> {
  const { rows } = await db.query<NotifyTestRow>(
    `INSERT INTO notification_tests (user_id, nonce, person, channel, target, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [test.userId, test.nonce, test.person, test.channel, test.target, test.requestedAt],
  );
  return toTest(rows[0]!);
}

export async function findTest(db: Queryable, id: number): Promise<NotifyTest | null> {
  const { rows } = await db.query<NotifyTestRow>(`SELECT ${COLUMNS} FROM notification_tests WHERE id = $1`, [
    id,
  ]);
  return rows[0] ? toTest(rows[0]) : null;
}

/** Takes a pending, never-claimed test for sending; null when it was claimed (or finished) before. */
export async function claimTest(db: Queryable, id: number, now: Date): Promise<NotifyTest | null> {
  const { rows } = await db.query<NotifyTestRow>(
    `UPDATE notification_tests SET claimed_at = $2
     WHERE id = $1 AND status = 'pending' AND claimed_at IS NULL RETURNING ${COLUMNS}`,
    [id, now],
  );
  return rows[0] ? toTest(rows[0]) : null;
}

export async function finishTest(
  db: Queryable,
  id: number,
  outcome: { status: Exclude<NotifyTestStatus, 'pending'>; receipt?: string; error?: string; at: Date },
): Promise<NotifyTest | null> {
  const { rows } = await db.query<NotifyTestRow>(
    `UPDATE notification_tests SET status = $2, receipt = $3, error = $4, finished_at = $5
     WHERE id = $1 AND status = 'pending' RETURNING ${COLUMNS}`,
    [id, outcome.status, outcome.receipt ?? null, outcome.error ?? null, outcome.at],
  );
  return rows[0] ? toTest(rows[0]) : null;
}

export async function markTestReported(db: Queryable, id: number, at: Date): Promise<void> {
  await db.query('UPDATE notification_tests SET reported_at = $2 WHERE id = $1', [id, at]);
}

/** Records a test call's final status, once; the test's id when it was one of ours. */
export async function recordTestCallStatus(
  db: Queryable,
  report: { callSid: string; status: string },
): Promise<number | null> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE notification_tests SET call_status = $2
     WHERE channel = 'voice' AND receipt = $1 AND status = 'sent' AND call_status IS NULL RETURNING id`,
    [report.callSid, report.status],
  );
  return rows[0] ? Number(rows[0].id) : null;
}
