-- Calendar feeds (`GET /oncall/calendar/<token>.ics`): each link's token is random and only its
-- SHA-256 is kept, so a database dump hands out no feed. `personal` is one person's shifts on every
-- schedule; `schedule` is everyone's shifts on one schedule.
CREATE TABLE calendar_feed_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_sha256 bytea NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('personal', 'schedule')),
  -- The Slack user who asked for the link (`/incident oncall calendar reset` revokes theirs).
  owner_id text NOT NULL,
  -- Their email when the link was made: oncall.yaml may name them by email.
  owner_email text,
  schedule text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK ((kind = 'schedule') = (schedule IS NOT NULL))
);
CREATE INDEX calendar_feed_tokens_owner_idx ON calendar_feed_tokens (owner_id) WHERE revoked_at IS NULL;
