import { definePeriodicJob } from './job.js';

/**
 * The reconciler, run every few seconds (see jobs/workers.ts): re-enqueues what Postgres says is due
 * but Redis may not hold (see jobs/reconciler.ts).
 */
export const reconcileJob = definePeriodicJob('reconcile', (deps) => deps.reconciler.run());
