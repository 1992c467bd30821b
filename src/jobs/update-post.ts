import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** A status update, in the channel and threaded under the announcement; once (message metadata). */
export const updatePostJob = defineJob({
  name: 'incident.update_posted',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({
    incidentId: z.number().int().positive(),
    /** The update's timeline event: one update, one key. */
    eventId: z.number().int().positive(),
    text: z.string(),
    by: z.string(),
  }),
  key: (p) => `update-${p.eventId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) => deps.presenter.postUpdate(p.incidentId, p.text, p.by, run),
});
