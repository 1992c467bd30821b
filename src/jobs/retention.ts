import { z } from 'zod';
import { defineJob } from './job.js';

/**
 * The retention sweep, run by a BullMQ job scheduler every hour (see jobs/workers.ts): deletes
 * records kept only to recognise repeats once they are older than RETENTION_DAYS
 * (see jobs/retention-sweep.ts). Idempotent, so one schedule shared by every worker is enough.
 */
export const retentionJob = defineJob({
  name: 'retention',
  queue: 'timers',
  durability: 'state',
  payload: z.object({}),
  key: () => 'retention',
  options: { attempts: 1, backoff: { type: 'exponential', delay: 1000 } },
  handle: (deps) => deps.retention.run(),
});
