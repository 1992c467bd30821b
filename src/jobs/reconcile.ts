import { z } from 'zod';
import { defineJob } from './job.js';

/**
 * The reconciler, run by a BullMQ job scheduler every few seconds (see jobs/workers.ts): re-enqueues
 * what Postgres says is due but Redis may not hold (see jobs/reconciler.ts).
 */
export const reconcileJob = defineJob({
  name: 'reconcile',
  queue: 'timers',
  durability: 'state',
  payload: z.object({}),
  key: () => 'reconcile',
  options: { attempts: 1, backoff: { type: 'exponential', delay: 1000 } },
  handle: (deps) => deps.reconciler.run(),
});
