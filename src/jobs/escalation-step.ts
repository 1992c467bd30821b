import { z } from 'zod';
import { stepJobId } from '../escalation/escalation-steps.js';
import { defineJob, escalationRef, TIMER_OPTIONS } from './job.js';

/** A step timer: page the level due, or nothing if the escalation moved on (fencing epoch). */
export const escalationStepJob = defineJob({
  name: 'escalation.step',
  queue: 'timers',
  durability: 'state',
  payload: escalationRef({ step: z.number().int().min(0), loop: z.number().int().min(0) }),
  key: (p) => stepJobId(p.escalationId, p.epoch, p),
  options: TIMER_OPTIONS,
  handle: (deps, p) => deps.escalation?.fireStep(p) ?? Promise.resolve(),
});
