import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

export const overrideAnnouncement = z.object({
  event: z.enum(['placed', 'cancelled']),
  overrideId: z.number().int().positive(),
  schedule: z.string().min(1),
  /** Who covers (or covered, once cancelled): a Slack id. */
  userId: z.string().min(1),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date(),
  /** Who placed or cancelled it. */
  actor: z.string().min(1),
  /** Placed: who was on call in that window; cancelled: who is back on call. Ids or emails, as in oncall.yaml. */
  others: z.array(z.string().min(1)),
  /** The schedule's `announce_channel`; null: DMs to the person covering and the others. */
  channel: z.string().nullable(),
});

export type OverrideAnnouncement = z.infer<typeof overrideAnnouncement>;

/** An override placed or cancelled, announced once (the adapter finds a message it already posted). */
export const overrideAnnounceJob = defineJob({
  name: 'override.announce',
  queue: 'slack',
  durability: 'outbox',
  payload: overrideAnnouncement,
  key: (p) => `override-${p.event}-${p.overrideId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) => deps.overrideAnnouncer.announce(p, run),
});
