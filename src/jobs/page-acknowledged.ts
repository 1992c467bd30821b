import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** After an ack: every page DM says who acknowledged. On the `pages` queue, with the page client. */
export const pageAcknowledgedJob = defineJob({
  name: 'page.acknowledged',
  queue: 'pages',
  durability: 'outbox',
  payload: z.object({ incidentId: z.number().int().positive(), epoch: z.number().int().min(0) }),
  key: (p) => `acked-pages-inc-${p.incidentId}-e${p.epoch}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.pages?.markAcknowledged(p.incidentId) ?? Promise.resolve(),
});
