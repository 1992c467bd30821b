-- Running an incident from its channel: roles, status updates, follow-ups, reminders, captured messages.

ALTER TABLE incidents
  ADD COLUMN comms_id text,
  ADD COLUMN scribe_id text,
  ADD COLUMN last_update_text text,
  ADD COLUMN last_update_at timestamptz,
  -- Bumped by every change the headline card shows; a refresh renders the newest version.
  ADD COLUMN version integer NOT NULL DEFAULT 0,
  -- Update reminders: when the commander is next nudged, fenced by an epoch like escalations.
  ADD COLUMN reminder_due_at timestamptz,
  ADD COLUMN reminder_epoch integer NOT NULL DEFAULT 0;
CREATE INDEX incidents_reminder_due_idx ON incidents (reminder_due_at) WHERE reminder_due_at IS NOT NULL;

CREATE TABLE followups (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id),
  text text NOT NULL,
  owner_id text,
  due_date date,
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('high', 'normal', 'low')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX followups_incident_idx ON followups (incident_id, id);

-- A message captured onto the timeline (shortcut, pin, :pushpin:) is identified by its channel and ts,
-- so a duplicate pin or reaction event adds it once; un-pinning marks it removed (rows stay).
ALTER TABLE timeline_events
  ADD COLUMN source_ref text,
  ADD COLUMN removed_at timestamptz;
CREATE UNIQUE INDEX timeline_events_source_idx ON timeline_events (incident_id, source_ref)
  WHERE source_ref IS NOT NULL;
