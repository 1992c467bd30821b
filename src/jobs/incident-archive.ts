import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** Archives a closed incident's channel after INCIDENT_ARCHIVE_AFTER, unless it was reopened since. */
export const incidentArchiveJob = defineJob({
  name: 'incident.archive',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({ incidentId: z.number().int().positive(), closedAtMs: z.number().int() }),
  key: (p) => `archive-${p.incidentId}-${p.closedAtMs}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.presenter.archive(p.incidentId, p.closedAtMs),
});
