import type { Queryable } from './pool.js';

/**
 * Records that only guard against repeats (Slack retries an event for minutes, a double submit
 * arrives within seconds) and are useless after days: deleted in batches, oldest first, so one
 * sweep never holds a long lock.
 */
const EXPIRING_TABLES = {
  processedSlackEvents: { table: 'processed_slack_events', column: 'received_at' },
  idempotencyKeys: { table: 'idempotency_keys', column: 'created_at' },
  // The raw record of each accepted alert event: the alert itself (count, first and last seen, who
  // acknowledged and resolved it) stays; at 120 events a minute per key the raw rows would not.
  alertEvents: { table: 'alert_events', column: 'received_at' },
  /** What was done per handoff: a timer looks back a day at most. */
  handoffActions: { table: 'handoff_actions', column: 'done_at' },
  /** Test notifications: their throttle looks back a minute, a double click seconds. */
  notificationTests: { table: 'notification_tests', column: 'requested_at' },
} as const;

export type ExpiringRecords = keyof typeof EXPIRING_TABLES;

/** Deletes up to `limit` rows of one kind recorded before `before`; returns how many went. */
export async function deleteExpiredRecords(
  db: Queryable,
  kind: ExpiringRecords,
  before: Date,
  limit = 5000,
): Promise<number> {
  const { table, column } = EXPIRING_TABLES[kind];
  const { rowCount } = await db.query(
    `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${column} < $1 LIMIT $2)`,
    [before, limit],
  );
  return rowCount ?? 0;
}

export const EXPIRING_RECORDS = Object.keys(EXPIRING_TABLES) as ExpiringRecords[];
