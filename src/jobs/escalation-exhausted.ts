import { z } from 'zod';
import { escalationKey, incidentPagingPayload } from './escalation-payload.js';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** Nobody acknowledged after every pass: the channel and the announcement thread are told. */
export const escalationExhaustedJob = defineJob({
  name: 'escalation.exhausted',
  queue: 'slack',
  durability: 'outbox',
  payload: incidentPagingPayload.extend({ loop: z.number().int().min(0) }),
  key: (p) => `exhausted-${escalationKey(p)}-e${p.epoch}-l${p.loop}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.notifier?.announceExhausted(p.incidentId, p.escalationId) ?? Promise.resolve(),
});
