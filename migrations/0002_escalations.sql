-- Paging: escalation state per incident (Postgres decides; BullMQ only wakes the worker) and pages.

CREATE TABLE escalations (
  incident_id bigint PRIMARY KEY REFERENCES incidents (id),
  -- The policy as it was when paging started (levels, delays, repeat, ack timeout).
  policy_name text NOT NULL,
  policy jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('triggered', 'acknowledged', 'resolved', 'exhausted')),
  -- Fencing token: bumped by every transition that invalidates pending timers (ack, resolve,
  -- escalate-now, re-trigger). A timer job carrying another epoch is a no-op.
  epoch integer NOT NULL DEFAULT 0,
  -- The next level to page and the pass through the levels it belongs to.
  step integer NOT NULL DEFAULT 0,
  loop integer NOT NULL DEFAULT 0,
  next_step_at timestamptz,
  acknowledged_by text,
  acknowledged_at timestamptz,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX escalations_due_idx ON escalations (next_step_at) WHERE state = 'triggered';

-- One row per person paged at one level of one pass: the primary key is the idempotency key, so a
-- timer that runs twice pages nobody twice.
CREATE TABLE pages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id),
  epoch integer NOT NULL,
  step integer NOT NULL,
  loop integer NOT NULL,
  -- As written in oncall.yaml (Slack user id or email) and, once resolved, the Slack user id.
  target text NOT NULL,
  user_id text,
  via text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
  dm_channel_id text,
  dm_ts text,
  error text,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  sent_at timestamptz,
  UNIQUE (incident_id, epoch, step, loop, target)
);
CREATE INDEX pages_incident_idx ON pages (incident_id, id);
CREATE INDEX pages_pending_idx ON pages (created_at) WHERE status = 'pending';
