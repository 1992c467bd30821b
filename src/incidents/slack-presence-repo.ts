import type { Queryable } from '../db/pool.js';
import type { SetupStep } from './incident-types.js';
import type { PresenceRefs, SlackPresence } from './slack-presence.js';

export type { PresenceRefs, SlackPresence } from './slack-presence.js';

interface PresenceRow {
  incident_id: string | number;
  headline_ts: string | null;
  announce_channel_id: string | null;
  announce_ts: string | null;
  setup_steps: SetupStep[];
  setup_completed_at: Date | null;
  setup_failed_at: Date | null;
}

/** Nothing posted yet: the state of an incident whose set-up has not started. */
export function emptyPresence(incidentId: number): SlackPresence {
  return {
    incidentId,
    headlineTs: null,
    announceChannelId: null,
    announceTs: null,
    setupSteps: [],
    setupCompletedAt: null,
    setupFailedAt: null,
  };
}

/** Never null: an incident whose set-up has not recorded anything yet has the empty presence. */
export async function findSlackPresence(db: Queryable, incidentId: number): Promise<SlackPresence> {
  const { rows } = await db.query<PresenceRow>(
    `SELECT incident_id, headline_ts, announce_channel_id, announce_ts, setup_steps, setup_completed_at,
       setup_failed_at
     FROM slack_incident_presence WHERE incident_id = $1`,
    [incidentId],
  );
  const row = rows[0];
  if (!row) return emptyPresence(incidentId);
  return {
    incidentId,
    headlineTs: row.headline_ts,
    announceChannelId: row.announce_channel_id,
    announceTs: row.announce_ts,
    setupSteps: row.setup_steps,
    setupCompletedAt: row.setup_completed_at,
    setupFailedAt: row.setup_failed_at,
  };
}

/** Records a finished set-up step (once) and any message references it produced. */
export async function recordSetupStep(
  db: Queryable,
  incidentId: number,
  step: SetupStep,
  refs: PresenceRefs = {},
): Promise<void> {
  await db.query(
    `INSERT INTO slack_incident_presence (incident_id, setup_steps, headline_ts, announce_channel_id, announce_ts)
     VALUES ($1, ARRAY[$2::text], $3, $4, $5)
     ON CONFLICT (incident_id) DO UPDATE SET
       setup_steps = CASE WHEN $2 = ANY(slack_incident_presence.setup_steps) THEN slack_incident_presence.setup_steps
                          ELSE array_append(slack_incident_presence.setup_steps, $2) END,
       headline_ts = COALESCE($3, slack_incident_presence.headline_ts),
       announce_channel_id = COALESCE($4, slack_incident_presence.announce_channel_id),
       announce_ts = COALESCE($5, slack_incident_presence.announce_ts)`,
    [incidentId, step, refs.headlineTs ?? null, refs.announceChannelId ?? null, refs.announceTs ?? null],
  );
}

/** Marks the set-up finished; the first outcome recorded stands. */
export async function markSetupFinished(
  db: Queryable,
  incidentId: number,
  outcome: 'completed' | 'failed',
): Promise<void> {
  const column = outcome === 'completed' ? 'setup_completed_at' : 'setup_failed_at';
  await db.query(
    `INSERT INTO slack_incident_presence (incident_id, ${column}) VALUES ($1, now())
     ON CONFLICT (incident_id) DO UPDATE SET ${column} = now()
     WHERE slack_incident_presence.${column} IS NULL`,
    [incidentId],
  );
}
