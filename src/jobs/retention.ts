import { definePeriodicJob } from './job.js';

/**
 * The retention sweep, run every hour (see jobs/workers.ts): deletes records kept only to recognise
 * repeats once they are older than RETENTION_DAYS (see jobs/retention-sweep.ts).
 */
export const retentionJob = definePeriodicJob('retention', (deps) => deps.retention.run());
