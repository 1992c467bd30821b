import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

export const maintenanceAnnouncement = z.object({
  event: z.enum(['started', 'extended', 'ended']),
  windowId: z.number().int().positive(),
  service: z.string().min(1),
  endsAt: z.coerce.date(),
  reason: z.string().nullable(),
  /** Who started, extended or ended it (a Slack id); null when it ran out. */
  actor: z.string().nullable(),
  /** Who started it: told by DM when the service has no alerts channel. */
  createdBy: z.string().min(1),
  /** The service's `alerts.channel`; null: a DM to whoever started the window. */
  channel: z.string().nullable(),
  /** Ended: alert groups opened during the window and still firing, now paging. */
  paged: z.number().int().min(0),
});

export type MaintenanceAnnouncement = z.infer<typeof maintenanceAnnouncement>;

/** A maintenance window started, extended or ended, posted once where the service's alerts go. */
export const maintenanceAnnounceJob = defineJob({
  name: 'maintenance.announce',
  queue: 'slack',
  durability: 'outbox',
  payload: maintenanceAnnouncement,
  key: (p) =>
    p.event === 'ended'
      ? `maintenance-ended-${p.windowId}`
      : `maintenance-${p.event}-${p.windowId}-t${p.endsAt.getTime()}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) => deps.maintenanceAnnouncer.announce(p, run),
});
