-- Incidents, their append-only timeline, and idempotency keys for declare.

-- Gapless human numbers (incident 12 ↔ #inc-12-…): a counter row, bumped inside the declare
-- transaction, so a rolled-back declare does not burn a number the way a sequence would.
CREATE TABLE incident_counter (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_number integer NOT NULL DEFAULT 0
);
INSERT INTO incident_counter DEFAULT VALUES;

CREATE TABLE incidents (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number integer NOT NULL UNIQUE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
  summary text,
  severity text NOT NULL CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
  status text NOT NULL DEFAULT 'investigating'
    CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'closed')),
  is_private boolean NOT NULL DEFAULT false,
  service text,
  reporter_id text NOT NULL,
  commander_id text,
  origin_channel_id text,
  declared_at timestamptz NOT NULL,
  resolved_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Where the incident lives in Slack. Slack is a view of this row, never its store.
  channel_id text UNIQUE,
  channel_name text,
  headline_ts text,
  announce_channel_id text,
  announce_ts text,
  -- Channel set-up steps already done, so a retried set-up job never repeats one.
  setup_steps text[] NOT NULL DEFAULT '{}',
  setup_completed_at timestamptz,
  setup_failed_at timestamptz
);
CREATE INDEX incidents_open_idx ON incidents (declared_at DESC) WHERE status NOT IN ('resolved', 'closed');
CREATE INDEX incidents_setup_pending_idx ON incidents (id)
  WHERE setup_completed_at IS NULL AND setup_failed_at IS NULL;

CREATE TABLE timeline_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id),
  kind text NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  actor_id text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_events_incident_idx ON timeline_events (incident_id, occurred_at, id);

-- One row per request that may be repeated (a Slack retry, a double submit, a double click):
-- the first transaction to insert the key wins, later ones read its result.
CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,
  incident_id bigint REFERENCES incidents (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Events API deliveries already handled, shared by every web instance.
CREATE TABLE processed_slack_events (
  event_id text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);
