-- The transactional outbox: every effect of a change (post an update, refresh the card, upload the
-- postmortem, archive a channel, announce an ack, set up an incident's channel…) is a row written in
-- the same transaction as the change. BullMQ only carries the work out; a row stays until its job
-- marks it done, and the reconciler re-enqueues any row still not done at its deadline, so Redis
-- being down, or back empty, only delays an effect.
CREATE TABLE outbox (
  id          bigserial PRIMARY KEY,
  job         text NOT NULL,
  -- The idempotency key, also the BullMQ job id: never all digits, no ':'.
  key         text NOT NULL UNIQUE,
  payload     jsonb NOT NULL,
  -- Bumped when a coalescing effect (a card refresh) is asked for again while a row exists: the job
  -- marks done only the generation it ran, so a change that lands mid-run is not lost.
  generation  int NOT NULL DEFAULT 1,
  coalescing  boolean NOT NULL DEFAULT false,
  -- When the effect may run (later for delayed effects: archive-after).
  run_at      timestamptz NOT NULL,
  -- When the reconciler re-enqueues the row if it is not done by then; pushed back on each dispatch.
  deadline_at timestamptz NOT NULL,
  -- The job's deadline; each re-enqueue waits longer (doubling, at most 32×).
  deadline_ms int NOT NULL,
  -- Times the row was handed to BullMQ (after commit, then by the reconciler): above 1, the job may
  -- be a repeat and looks for the effect before repeating an external call.
  dispatches  int NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  done_at     timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (deadline_at) WHERE done_at IS NULL;
CREATE INDEX outbox_done_idx ON outbox (done_at) WHERE done_at IS NOT NULL;

-- Set-ups pending when this migration runs were queued the old way: give each its row.
INSERT INTO outbox (job, key, payload, run_at, deadline_at, deadline_ms, dispatches)
SELECT 'incident.setup', 'setup-inc-' || id, jsonb_build_object('incidentId', id), now(), now(), 30000, 2
FROM incidents WHERE setup_completed_at IS NULL AND setup_failed_at IS NULL;
