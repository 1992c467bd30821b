import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** After an ack: the acknowledger joins, the channel hears it (the DMs: page.acknowledged). */
export const escalationAcknowledgedJob = defineJob({
  name: 'escalation.acknowledged',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({ incidentId: z.number().int().positive(), epoch: z.number().int().min(0) }),
  key: (p) => `acked-inc-${p.incidentId}-e${p.epoch}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.notifier?.announceAcknowledged(p.incidentId) ?? Promise.resolve(),
});
