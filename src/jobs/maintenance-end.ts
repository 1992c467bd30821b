import { z } from 'zod';
import { defineJob, TIMER_OPTIONS } from './job.js';

/**
 * A maintenance window's end falls due. Its record is the window's `ends_at` (the reconciler
 * re-enqueues overdue windows); the id carries the end it was set for, so a window extended or ended
 * early makes this run a no-op.
 */
export const maintenanceEndJob = defineJob({
  name: 'maintenance.end',
  queue: 'timers',
  durability: 'state',
  payload: z.object({ windowId: z.number().int().positive(), endsAt: z.number().int() }),
  key: (p) => `maintenance-end-${p.windowId}-t${p.endsAt}`,
  options: TIMER_OPTIONS,
  handle: (deps, p) => deps.maintenance?.endDue(p.windowId, p.endsAt) ?? Promise.resolve(false),
});
