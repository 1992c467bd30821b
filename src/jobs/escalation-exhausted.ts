import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** Nobody acknowledged after every pass: the channel and the announcement thread are told. */
export const escalationExhaustedJob = defineJob({
  name: 'escalation.exhausted',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({
    incidentId: z.number().int().positive(),
    epoch: z.number().int().min(0),
    loop: z.number().int().min(0),
  }),
  key: (p) => `exhausted-inc-${p.incidentId}-e${p.epoch}-l${p.loop}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.notifier?.announceExhausted(p.incidentId) ?? Promise.resolve(),
});
