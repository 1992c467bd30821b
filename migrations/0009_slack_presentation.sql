-- Slack presentation state leaves the incident record: the adapter owns where its messages are and
-- how far an incident's set-up got. The incident keeps channel_id (the domain finds an incident by the
-- channel a command was typed in, and the UNIQUE constraint is what claims a channel) and channel_name
-- (views and lists show it).
CREATE TABLE slack_incident_presence (
  incident_id bigint PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
  headline_ts text,
  announce_channel_id text,
  announce_ts text,
  -- Channel set-up steps already done, so a retried set-up job never repeats one.
  setup_steps text[] NOT NULL DEFAULT '{}',
  setup_completed_at timestamptz,
  setup_failed_at timestamptz
);

INSERT INTO slack_incident_presence
  (incident_id, headline_ts, announce_channel_id, announce_ts, setup_steps, setup_completed_at, setup_failed_at)
SELECT id, headline_ts, announce_channel_id, announce_ts, setup_steps, setup_completed_at, setup_failed_at
FROM incidents;

DROP INDEX IF EXISTS incidents_setup_pending_idx;
ALTER TABLE incidents
  DROP COLUMN headline_ts,
  DROP COLUMN announce_channel_id,
  DROP COLUMN announce_ts,
  DROP COLUMN setup_steps,
  DROP COLUMN setup_completed_at,
  DROP COLUMN setup_failed_at;
