-- Overrides taken from Slack (`/incident oncall override @person 2h`): they win over oncall.yaml.
CREATE TABLE schedule_overrides (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  schedule text NOT NULL,
  user_id text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedule_overrides_active_idx ON schedule_overrides (ends_at);
