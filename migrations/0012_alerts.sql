-- Alerts from monitoring: Alertmanager, PagerDuty Events v2, plain webhooks and missed heartbeats.

-- What pages: a group of alerts. An Alertmanager group (its groupKey) is one group; any other new
-- alert opens a group of its own, unless its service has a group still paging unacknowledged that
-- opened within paging.group_window (then it joins that group: a storm is one page, not thirty).
CREATE TABLE alert_groups (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service text NOT NULL,
  source text NOT NULL CHECK (source IN ('alertmanager', 'pagerduty', 'webhook', 'heartbeat')),
  -- Alertmanager's groupKey; null for the other sources.
  group_key text,
  title text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
  state text NOT NULL DEFAULT 'firing' CHECK (state IN ('firing', 'acknowledged', 'resolved')),
  -- Opened during a maintenance window: recorded without paging; pages when the window ends if
  -- still open.
  held boolean NOT NULL DEFAULT false,
  -- The incident declared for this group (alerts.declare, or the Declare incident button).
  incident_id bigint REFERENCES incidents (id),
  acknowledged_by text,
  acknowledged_at timestamptz,
  resolved_by text,
  resolved_at timestamptz,
  -- The group's message where the service's alerts are posted (alerts.channel).
  channel_id text,
  message_ts text,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX alert_groups_open_key_idx ON alert_groups (service, group_key)
  WHERE state <> 'resolved' AND group_key IS NOT NULL;
CREATE INDEX alert_groups_open_idx ON alert_groups (service, opened_at) WHERE state <> 'resolved';
CREATE UNIQUE INDEX alert_groups_incident_idx ON alert_groups (incident_id) WHERE incident_id IS NOT NULL;

-- One open alert per (service, dedup key): a repeated trigger adds to its count; a trigger after
-- resolve opens a new row.
CREATE TABLE alerts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service text NOT NULL,
  -- The Alertmanager fingerprint, the PagerDuty dedup_key, the webhook's dedup_key, or
  -- `heartbeat:<name>`.
  dedup_key text NOT NULL,
  source text NOT NULL CHECK (source IN ('alertmanager', 'pagerduty', 'webhook', 'heartbeat')),
  alert_group_id bigint NOT NULL REFERENCES alert_groups (id),
  status text NOT NULL DEFAULT 'firing' CHECK (status IN ('firing', 'acknowledged', 'resolved')),
  title text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
  labels jsonb NOT NULL DEFAULT '{}',
  details jsonb NOT NULL DEFAULT '{}',
  -- [{ "text": …, "href": … }], the runbook first.
  links jsonb NOT NULL DEFAULT '[]',
  count integer NOT NULL DEFAULT 1,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  acknowledged_by text,
  acknowledged_at timestamptz,
  resolved_by text,
  resolved_at timestamptz
);
CREATE UNIQUE INDEX alerts_open_dedup_idx ON alerts (service, dedup_key) WHERE status <> 'resolved';
CREATE INDEX alerts_group_idx ON alerts (alert_group_id);
CREATE INDEX alerts_open_idx ON alerts (service, first_seen_at) WHERE status <> 'resolved';

-- Every event accepted, committed before the 2xx, and what it did (null alert: it matched nothing,
-- e.g. an acknowledge for an unknown dedup key).
CREATE TABLE alert_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id bigint REFERENCES alerts (id),
  service text NOT NULL,
  source text NOT NULL,
  action text NOT NULL CHECK (action IN ('trigger', 'acknowledge', 'resolve')),
  -- Who: the source ("Alertmanager", "PagerDuty Events API") or a Slack user id.
  actor text NOT NULL,
  received_at timestamptz NOT NULL,
  payload jsonb
);
CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, id);

-- `/incident maintenance checkout 2h [reason]`: the service's alerts are recorded without paging.
CREATE TABLE maintenance_windows (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  reason text,
  created_by text NOT NULL,
  -- Ended early (`off`) or its end handled (held alerts paged, end posted).
  ended_at timestamptz,
  ended_by text
);
CREATE INDEX maintenance_windows_open_idx ON maintenance_windows (service, ends_at) WHERE ended_at IS NULL;

-- A heartbeat is armed by its first check-in; `due_at` (last check-in + interval + grace) is when it
-- is missed. `epoch` fences the timer: a check-in bumps it, so an older timer is a no-op.
CREATE TABLE heartbeats (
  service text NOT NULL,
  name text NOT NULL,
  last_checkin_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  epoch integer NOT NULL DEFAULT 0,
  PRIMARY KEY (service, name)
);
CREATE INDEX heartbeats_due_idx ON heartbeats (due_at);
