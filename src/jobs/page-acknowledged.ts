import { escalationKey, incidentPagingPayload } from './escalation-payload.js';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** After an ack: every page DM says who acknowledged. On the `pages` queue, with the page client. */
export const pageAcknowledgedJob = defineJob({
  name: 'page.acknowledged',
  queue: 'pages',
  durability: 'outbox',
  payload: incidentPagingPayload,
  key: (p) => `acked-pages-${escalationKey(p)}-e${p.epoch}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.pages?.markAcknowledged(p.incidentId, p.escalationId) ?? Promise.resolve(),
});
