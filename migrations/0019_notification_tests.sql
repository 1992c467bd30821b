-- Test notifications (#13, `/incident oncall me`): one row per Send test click. The (user, channel,
-- nonce) key makes a double click or a Slack retry one test; the rows of a (person, channel) are the
-- throttle's record. The outbox job `notify.test` sends it and records how it went here.
CREATE TABLE notification_tests (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The Slack user who clicked (always the person tested: the server checks).
  user_id text NOT NULL,
  -- Random per rendering of the rules, from the button the click came from.
  nonce text NOT NULL,
  -- The person's key in oncall.yaml `people:` (Slack user id or email).
  person text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('slack', 'push', 'sms', 'voice', 'email')),
  -- Phone number, push topic or email address ('' for Slack).
  target text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  receipt text,
  error text,
  requested_at timestamptz NOT NULL,
  -- Set before the provider is called: a run that finds it set and the row pending never sends again.
  claimed_at timestamptz,
  finished_at timestamptz,
  -- When the person was told the outcome.
  reported_at timestamptz,
  -- A test call's final status from Twilio's status callback (the person is told it too).
  call_status text,
  UNIQUE (user_id, channel, nonce)
);
CREATE INDEX notification_tests_throttle_idx ON notification_tests (person, channel, requested_at);

-- Twilio's call-status webhook (busy, no-answer, failed, canceled, completed) on the voice step it
-- reports: the call's final status and when it came.
ALTER TABLE deliveries ADD COLUMN call_status text, ADD COLUMN call_status_at timestamptz;
