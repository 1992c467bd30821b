import { escalationKey, incidentPagingPayload } from './escalation-payload.js';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** After an ack: the acknowledger joins, the channel hears it (the DMs: page.acknowledged). */
export const escalationAcknowledgedJob = defineJob({
  name: 'escalation.acknowledged',
  queue: 'slack',
  durability: 'outbox',
  payload: incidentPagingPayload,
  key: (p) => `acked-${escalationKey(p)}-e${p.epoch}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.notifier?.announceAcknowledged(p.incidentId, p.escalationId) ?? Promise.resolve(),
});
