-- A missed heartbeat raises one alert: `missed_at` records that the miss of the current epoch was
-- raised, so the timer and the reconciler leave it alone until the next check-in re-arms it.
ALTER TABLE heartbeats ADD COLUMN missed_at timestamptz;
DROP INDEX heartbeats_due_idx;
CREATE INDEX heartbeats_due_idx ON heartbeats (due_at) WHERE missed_at IS NULL;
