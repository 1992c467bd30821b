-- Handoffs as durable timers (issue #14): one row per schedule with the next instant something is due
-- (a handoff, or a shift notice before one). BullMQ only wakes the worker; the row is the truth, and
-- the reconciler re-enqueues a timer past its next_at. The epoch fences jobs: every fire and every
-- re-plan (an override placed or cancelled, a start-up) bumps it, and a job carrying another is a no-op.
CREATE TABLE handoff_timers (
  schedule        text PRIMARY KEY,
  epoch           integer NOT NULL DEFAULT 0,
  -- The next instant to look at; null when nothing is ahead (re-planned by an override or a restart).
  next_at         timestamptz,
  -- Everything due up to this instant has been handled: a fire handles (processed_until, now].
  processed_until timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handoff_timers_due_idx ON handoff_timers (next_at) WHERE next_at IS NOT NULL;

-- What was done per handoff: one row per (schedule, handoff instant, action), written in the transaction
-- that queues the action's effect, so a timer that runs twice does nothing twice.
CREATE TABLE handoff_actions (
  schedule   text NOT NULL,
  handoff_at timestamptz NOT NULL,
  -- usergroup | notice_before | notice_start | channel_message
  action     text NOT NULL,
  done_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schedule, handoff_at, action)
);
CREATE INDEX handoff_actions_done_idx ON handoff_actions (done_at);
