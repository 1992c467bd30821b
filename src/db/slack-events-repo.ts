import type { Queryable } from '../db/pool.js';

/**
 * Events API deliveries are retried by Slack (and a retry may reach another instance), so each
 * `event_id` is claimed once in Postgres, which every web instance shares. True: first delivery.
 * Claim it in the transaction of the event's effect: if the effect fails, the claim rolls back with
 * it and Slack's redelivery runs it again. A concurrent delivery waits here until the first commits.
 */
export async function claimSlackEvent(db: Queryable, eventId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO processed_slack_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING',
    [eventId],
  );
  return rowCount === 1;
}
