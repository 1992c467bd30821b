import { z } from 'zod';
import { defineJob } from './job.js';

/** How often the retention job runs (a BullMQ job scheduler, as the reconciler's; see jobs/workers.ts). */
export const OVERRIDES_RETENTION_EVERY_MS = 3_600_000;

/**
 * Deletes overrides that ended more than 30 days ago (issue #11: overrides must not grow forever).
 * Idempotent, so one scheduler shared by every worker process is enough.
 */
export const overridesRetentionJob = defineJob({
  name: 'overrides.retention',
  queue: 'timers',
  durability: 'state',
  payload: z.object({}),
  key: () => 'overrides-retention',
  options: { attempts: 1, backoff: { type: 'exponential', delay: 1000 } },
  handle: (deps) => deps.overridesRetention.run(),
});
