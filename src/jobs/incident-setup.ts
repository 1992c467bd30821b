import { defineJob, incidentRef } from './job.js';

/** Builds a declared incident's Slack presence: channel, invites, topic, headline, announcement. */
export const incidentSetupJob = defineJob({
  name: 'incident.setup',
  queue: 'slack',
  durability: 'outbox',
  payload: incidentRef,
  key: (p) => `setup-inc-${p.incidentId}`,
  options: { attempts: 6, backoff: { type: 'exponential', delay: 1000, jitter: 0.2 } },
  // Set-up is several Slack calls; each finished step is recorded, so a repeat resumes.
  deadlineMs: 60_000,
  handle: (deps, p, run) => deps.setup.run(p.incidentId, run),
});
