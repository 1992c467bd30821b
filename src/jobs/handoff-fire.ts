import { z } from 'zod';
import { defineJob, TIMER_OPTIONS } from './job.js';

/**
 * A schedule's handoff timer falls due (a handoff, or a shift notice before one). Its record is the
 * schedule's row in `handoff_timers` (the reconciler re-enqueues overdue ones); a stale epoch is a no-op.
 */
export const handoffFireJob = defineJob({
  name: 'handoff.fire',
  queue: 'timers',
  durability: 'state',
  payload: z.object({ schedule: z.string().min(1), epoch: z.number().int().min(0) }),
  key: (p) => `handoff-${p.schedule}-e${p.epoch}`,
  options: TIMER_OPTIONS,
  handle: (deps, p) => deps.handoffs?.fire(p.schedule, p.epoch) ?? Promise.resolve(),
});
