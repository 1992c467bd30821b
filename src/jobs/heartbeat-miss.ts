import { z } from 'zod';
import { defineJob, TIMER_OPTIONS } from './job.js';

/** Job ids allow no `:`; service and heartbeat names are kept readable and unambiguous. */
const idPart = (s: string) => encodeURIComponent(s).replaceAll('%', '_');

/**
 * A heartbeat's `interval + grace` ran out. Its record is the heartbeat row (`due_at`, `'infinity'`
 * once the miss is raised, and `epoch`; the reconciler re-enqueues overdue ones); a check-in bumps
 * the epoch, so an older timer is a no-op.
 */
export const heartbeatMissJob = defineJob({
  name: 'heartbeat.miss',
  queue: 'timers',
  durability: 'state',
  payload: z.object({
    service: z.string().min(1),
    name: z.string().min(1),
    epoch: z.number().int().min(0),
  }),
  key: (p) => `heartbeat-${idPart(p.service)}-${idPart(p.name)}-e${p.epoch}`,
  options: TIMER_OPTIONS,
  handle: (deps, p) => deps.heartbeats?.miss(p.service, p.name, p.epoch) ?? Promise.resolve(false),
});
