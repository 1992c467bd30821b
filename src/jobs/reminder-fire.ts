import { z } from 'zod';
import { defineJob, TIMER_OPTIONS } from './job.js';

/**
 * An update reminder falls due. Its record is the incident's `reminder_due_at` and epoch (the
 * reconciler re-enqueues overdue ones); a stale epoch is a no-op.
 */
export const reminderFireJob = defineJob({
  name: 'reminder.fire',
  queue: 'timers',
  durability: 'state',
  payload: z.object({ incidentId: z.number().int().positive(), epoch: z.number().int().min(0) }),
  key: (p) => `remind-${p.incidentId}-e${p.epoch}`,
  options: TIMER_OPTIONS,
  handle: (deps, p) => deps.lifecycle.fireReminder(p.incidentId, p.epoch),
});
