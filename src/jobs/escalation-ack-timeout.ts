import { ackTimeoutJobId } from '../escalation/escalation-steps.js';
import { defineJob, escalationRef, TIMER_OPTIONS } from './job.js';

/** Acknowledged but unresolved past the policy's ack_timeout: page again from the first level. */
export const escalationAckTimeoutJob = defineJob({
  name: 'escalation.ack_timeout',
  queue: 'timers',
  durability: 'state',
  payload: escalationRef({}),
  key: (p) => ackTimeoutJobId(p.escalationId, p.epoch),
  options: TIMER_OPTIONS,
  handle: (deps, p) => deps.escalation?.fireAckTimeout(p) ?? Promise.resolve(),
});
