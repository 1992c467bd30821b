import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** Nudges the commander (or the channel) to post an update; written when a reminder fired. */
export const reminderSendJob = defineJob({
  name: 'reminder.send',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({
    incidentId: z.number().int().positive(),
    /** The `reminder.sent` timeline event: one reminder, one key. */
    eventId: z.number().int().positive(),
  }),
  key: (p) => `reminder-${p.eventId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.presenter.sendReminder(p.incidentId),
});
