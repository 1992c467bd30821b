-- The service's runbook (from oncall.yaml), taken when the incident is declared: the headline card
-- links it, the channel bookmarks it and the postmortem lists it. Links added later with
-- `/incident link` are timeline events (incident.link_added).
ALTER TABLE incidents ADD COLUMN runbook_url text;
