import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

const target = z.object({ kind: z.enum(['schedule', 'user']), name: z.string().min(1) });

export const shiftNotice = z.object({
  /** `before`: notify_before ahead of the shift; `start`: as it starts. */
  kind: z.enum(['before', 'start']),
  schedule: z.string().min(1),
  /** Who is going on call: a Slack id or an email, as in oncall.yaml. */
  user: z.string().min(1),
  startsAt: z.coerce.date(),
  /** When they hand over; null: not within the look-ahead. */
  until: z.coerce.date().nullable(),
  /** The schedule's zone: times are shown in it. */
  timezone: z.string().min(1),
  /** The policies that page this schedule: their levels in order, each level's targets. */
  escalation: z.array(z.object({ policy: z.string().min(1), levels: z.array(z.array(target)) })),
});

export type ShiftNotice = z.infer<typeof shiftNotice>;

/** A DM to the person going on call, once per shift and kind (the adapter finds one it already sent). */
export const shiftNoticeJob = defineJob({
  name: 'shift.notice',
  queue: 'slack',
  durability: 'outbox',
  payload: shiftNotice,
  key: (p) => `shift-${p.kind}-${p.schedule}-${p.startsAt.getTime()}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) => deps.shiftNotifier.notify(p, run),
});
