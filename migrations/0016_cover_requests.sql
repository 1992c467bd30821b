-- Cover requests (`/incident oncall cover "2026-12-24 09:00" "2026-12-24 17:00"`): someone on call asks
-- the other participants of a schedule to take part of their shift. The first taker gets an override
-- (schedule_overrides); taking is a compare-and-set on `status`, under the row's lock.
CREATE TABLE cover_requests (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  schedule text NOT NULL,
  requested_by text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  reason text,
  -- open → taken | cancelled | expired (its start passed while open); never back.
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'cancelled', 'expired')),
  -- Who took it (taken), or cancelled it (cancelled).
  closed_by text,
  closed_at timestamptz,
  -- The override the taker got; retention may delete it long after.
  override_id bigint REFERENCES schedule_overrides (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'open') = (closed_at IS NULL)),
  CHECK (status <> 'taken' OR closed_by IS NOT NULL)
);
-- The expiry sweep looks for open requests whose start has come.
CREATE INDEX cover_requests_open_idx ON cover_requests (starts_at) WHERE status = 'open';
-- Retention deletes requests ended 30+ days ago, with the overrides (overrides.retention).
CREATE INDEX cover_requests_ends_idx ON cover_requests (ends_at);

-- Every copy of a request posted in Slack (the team channel, or a DM to each participant and the
-- requester), so each is edited when the request is taken, cancelled or expires.
CREATE TABLE cover_request_posts (
  request_id bigint NOT NULL REFERENCES cover_requests (id) ON DELETE CASCADE,
  channel_id text NOT NULL,
  ts text NOT NULL,
  -- The person a DM copy is for; null for the team channel's copy.
  recipient text,
  PRIMARY KEY (request_id, channel_id)
);
