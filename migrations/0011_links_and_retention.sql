-- Secrets the bot generates for itself, shared by every instance: the postmortem-link signing key
-- when LINK_SIGNING_KEYS is unset. Inserted once (ON CONFLICT DO NOTHING), so concurrent starts agree.
CREATE TABLE bot_secrets (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- What a draft was built from (the timeline's newest event and live count): a regeneration with the
-- same version would write the same draft, so it is skipped.
ALTER TABLE postmortems ADD COLUMN source_version text;

-- Retention deletes by age.
CREATE INDEX processed_slack_events_received_idx ON processed_slack_events (received_at);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
