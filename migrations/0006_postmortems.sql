-- Closing: what responders wrote, and every generated postmortem draft.
ALTER TABLE incidents
  ADD COLUMN resolution text,
  ADD COLUMN root_cause text,
  ADD COLUMN users_affected text,
  ADD COLUMN requests_impacted text,
  ADD COLUMN revenue_impact text,
  ADD COLUMN went_well text,
  ADD COLUMN went_wrong text,
  ADD COLUMN lessons text,
  ADD COLUMN prevention text;

CREATE TABLE postmortems (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id),
  markdown text NOT NULL,
  generated_at timestamptz NOT NULL DEFAULT now(),
  generated_by text,
  slack_file_id text
);
CREATE INDEX postmortems_incident_idx ON postmortems (incident_id, id DESC);
