-- Personal notification rules (#13): one row per step of a person's rules for one page. The unique
-- key (page, step) is the idempotency key: a timer that fires twice plans and sends nothing twice.
CREATE TABLE deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  page_id bigint NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
  -- The person's key in oncall.yaml `people:` (Slack user id or email), as the page's target.
  person text NOT NULL,
  -- Index of the rule in the person's `notify:` list.
  step integer NOT NULL CHECK (step >= 0),
  channel text NOT NULL CHECK (channel IN ('slack', 'push', 'sms', 'voice', 'email')),
  -- Phone number, push topic or email address.
  target text NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sent', 'failed', 'throttled', 'skipped')),
  receipt text,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  due_at timestamptz NOT NULL,
  -- Set by the worker sending it; a claim older than the lease may be taken over (a crashed worker).
  claimed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  sent_at timestamptz,
  UNIQUE (page_id, step)
);
CREATE INDEX deliveries_throttle_idx ON deliveries (channel, target, sent_at) WHERE status = 'sent';
CREATE INDEX deliveries_pending_idx ON deliveries (due_at) WHERE status = 'pending';
