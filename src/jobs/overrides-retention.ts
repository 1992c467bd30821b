import { definePeriodicJob } from './job.js';

/** How often the overrides retention job runs (see jobs/workers.ts). */
export const OVERRIDES_RETENTION_EVERY_MS = 3_600_000;

/** Deletes overrides and cover requests that ended more than 30 days ago (issue #11: overrides must not grow forever). */
export const overridesRetentionJob = definePeriodicJob('overrides.retention', (deps) =>
  deps.overridesRetention.run(),
);
