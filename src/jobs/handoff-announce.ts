import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

export const handoffAnnouncement = z.object({
  schedule: z.string().min(1),
  /** The schedule's team channel. */
  channel: z.string().min(1),
  at: z.coerce.date(),
  /** Who handed over and who took over (Slack ids or emails, as in oncall.yaml); null: nobody. */
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Incidents that paged the schedule during the shift that ended, from `since`; null: nobody was on call. */
  incidents: z.object({ since: z.coerce.date(), total: z.number().int(), open: z.number().int() }).nullable(),
});

export type HandoffAnnouncement = z.infer<typeof handoffAnnouncement>;

/** "@bob → @carol, 3 incidents last week, 1 still open" in the schedule's channel, once per handoff. */
export const handoffAnnounceJob = defineJob({
  name: 'handoff.announce',
  queue: 'slack',
  durability: 'outbox',
  payload: handoffAnnouncement,
  key: (p) => `handoff-msg-${p.schedule}-${p.at.getTime()}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) => deps.shiftNotifier.announceHandoff(p, run),
});
