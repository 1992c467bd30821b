import { definePeriodicJob } from './job.js';

/**
 * Expires open cover requests whose start has come, and edits their copies to say so. It runs with
 * the reconciler's period (jobs/workers.ts), so a request expires within about 15 s of its start;
 * pressing Take it after the start and before the sweep expires it as well.
 */
export const coverExpiryJob = definePeriodicJob(
  'cover.expiry',
  (deps) => deps.cover?.expireDue() ?? Promise.resolve(),
);
