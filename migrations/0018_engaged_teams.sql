-- Paging another team into an incident (issue #14, `/incident page service:payments`): an incident
-- has its own escalation (its service's policy, or a page by hand) and one per other service paged
-- in, which runs that service's policy beside it and records who asked for it and why.

-- NULL: the incident's own escalation (and every alert group's).
ALTER TABLE escalations ADD COLUMN engaged_service text;
ALTER TABLE escalations ADD COLUMN engaged_by text;
ALTER TABLE escalations ADD COLUMN engaged_reason text;
ALTER TABLE escalations ADD CONSTRAINT escalations_engaged_for_incident
  CHECK (engaged_service IS NULL OR (incident_id IS NOT NULL AND engaged_by IS NOT NULL));

-- One escalation per (incident, team): the key that makes a double `/incident page service:x` one.
ALTER TABLE escalations DROP CONSTRAINT escalations_incident_id_key;
CREATE UNIQUE INDEX escalations_incident_team_key
  ON escalations (incident_id, (coalesce(engaged_service, '')));
