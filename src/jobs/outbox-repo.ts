import type { Queryable } from '../db/pool.js';

/** One effect to write: a row of the outbox. */
export interface OutboxEntry {
  job: string;
  key: string;
  payload: unknown;
  runAt: Date;
  deadlineMs: number;
  coalescing: boolean;
}

export interface OutboxRow {
  id: number;
  job: string;
  key: string;
  payload: unknown;
  generation: number;
  dispatches: number;
  runAt: Date;
  deadlineAt: Date;
  doneAt: Date | null;
}

/** The recordset columns of `outboxEntriesJson`, for statements that write effects with a change. */
export const OUTBOX_RECORDSET =
  'job text, key text, payload jsonb, run_at timestamptz, deadline_ms int, coalescing boolean';

/** Entries as the JSON `jsonb_to_recordset(… OUTBOX_RECORDSET)` reads. */
export function outboxEntriesJson(entries: OutboxEntry[]): object[] {
  return entries.map((e) => ({
    job: e.job,
    key: e.key,
    payload: e.payload,
    run_at: e.runAt,
    deadline_ms: e.deadlineMs,
    coalescing: e.coalescing,
  }));
}

/**
 * The INSERT of outbox rows from `source` (a relation with OUTBOX_RECORDSET's columns). A key seen
 * before is a no-op, except for a coalescing row (a card refresh), which is renewed: pending again,
 * with a new generation. A key given twice is written once (one change may ask twice for the same
 * effect: resolving an incident stops each of its escalations, and each refreshes its card).
 */
export function upsertOutboxSql(source: string): string {
  return `INSERT INTO outbox (job, key, payload, run_at, deadline_at, deadline_ms, coalescing)
     SELECT DISTINCT ON (key)
       job, key, payload, run_at, run_at + deadline_ms * interval '1 millisecond', deadline_ms, coalescing
     FROM ${source} ORDER BY key
     ON CONFLICT (key) DO UPDATE SET generation = outbox.generation + 1, done_at = NULL,
       payload = EXCLUDED.payload, run_at = EXCLUDED.run_at, deadline_at = EXCLUDED.deadline_at, dispatches = 1
     WHERE outbox.coalescing`;
}

export async function insertOutboxEntries(db: Queryable, entries: OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query({
    name: 'outbox-insert',
    text: `WITH d AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(${OUTBOX_RECORDSET}))
     ${upsertOutboxSql('d')}`,
    values: [JSON.stringify(outboxEntriesJson(entries))],
  });
}

interface Row {
  id: number;
  job: string;
  key: string;
  payload: unknown;
  generation: number;
  dispatches: number;
  run_at: Date;
  deadline_at: Date;
  done_at: Date | null;
}
const COLUMNS = 'id, job, key, payload, generation, dispatches, run_at, deadline_at, done_at';
const toRow = (r: Row): OutboxRow => ({
  id: r.id,
  job: r.job,
  key: r.key,
  payload: r.payload,
  generation: r.generation,
  dispatches: r.dispatches,
  runAt: r.run_at,
  deadlineAt: r.deadline_at,
  doneAt: r.done_at,
});

export async function findOutboxRow(db: Queryable, key: string): Promise<OutboxRow | null> {
  const { rows } = await db.query<Row>({
    name: 'outbox-find',
    text: `SELECT ${COLUMNS} FROM outbox WHERE key = $1`,
    values: [key],
  });
  return rows[0] ? toRow(rows[0]) : null;
}

/** The rows of `keys`, in the same order (null where none). One statement for many jobs. */
export async function findOutboxRows(db: Queryable, keys: string[]): Promise<(OutboxRow | null)[]> {
  const { rows } = await db.query<Row>({
    name: 'outbox-find-many',
    text: `SELECT ${COLUMNS} FROM outbox WHERE key = ANY($1::text[])`,
    values: [keys],
  });
  const byKey = new Map(rows.map((r) => [r.key, toRow(r)]));
  return keys.map((key) => byKey.get(key) ?? null);
}

/**
 * Marks rows done if each is still the generation its job ran; false where a newer one is pending.
 * One statement for many jobs.
 */
export async function markOutboxRowsDone(
  db: Queryable,
  runs: { key: string; generation: number }[],
  at: Date,
): Promise<boolean[]> {
  const { rows } = await db.query<{ key: string }>({
    name: 'outbox-done-many',
    text: `UPDATE outbox o SET done_at = $3
     FROM unnest($1::text[], $2::int[]) AS d(key, generation)
     WHERE o.key = d.key AND o.generation = d.generation AND o.done_at IS NULL
     RETURNING o.key`,
    values: [runs.map((r) => r.key), runs.map((r) => r.generation), at],
  });
  const done = new Set(rows.map((r) => r.key));
  return runs.map((r) => done.has(r.key));
}

/**
 * Rows not done whose deadline has passed at `now` (which covers delayed rows whose time has come):
 * each is counted as dispatched once more and given a later deadline (doubling, at most 32× the job's).
 * Concurrent reconcilers take different rows.
 */
export async function claimOverdueOutboxRows(db: Queryable, now: Date, limit = 500): Promise<OutboxRow[]> {
  const { rows } = await db.query<Row>({
    name: 'outbox-claim-overdue',
    text: `UPDATE outbox o
     SET dispatches = o.dispatches + 1,
         deadline_at = $1::timestamptz + o.deadline_ms * least(power(2, o.dispatches), 32) * interval '1 millisecond'
     FROM (SELECT id FROM outbox WHERE done_at IS NULL AND deadline_at <= $1
           ORDER BY deadline_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
     WHERE o.id = due.id
     RETURNING ${COLUMNS.split(', ')
       .map((c) => `o.${c}`)
       .join(', ')}`,
    values: [now, limit],
  });
  return rows.map(toRow);
}

/** Forgets rows done before `before`. */
export async function pruneDoneOutboxRows(db: Queryable, before: Date, limit = 5000): Promise<number> {
  const { rowCount } = await db.query({
    name: 'outbox-prune',
    text: `DELETE FROM outbox WHERE id IN (
       SELECT id FROM outbox WHERE done_at IS NOT NULL AND done_at < $1 LIMIT $2)`,
    values: [before, limit],
  });
  return rowCount ?? 0;
}
