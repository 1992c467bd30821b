import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/**
 * Sends one planned step of a person's notification rules (email, SMS, call, push), woken at the
 * step's `due_at`, on the `pages` queue (never behind a Slack 429). Its record is the `deliveries`
 * row (pending → sent/failed/throttled/skipped, with a claim lease); the reconciler re-enqueues
 * pending rows past due, and a repeat finds the row finished (or claimed) and sends nothing.
 */
export const deliverySendJob = defineJob({
  name: 'delivery.send',
  queue: 'pages',
  durability: 'state',
  payload: z.object({ deliveryId: z.number().int().positive() }),
  key: (p) => `delivery-${p.deliveryId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => (deps.deliveries ? deps.deliveries.send(p.deliveryId) : Promise.resolve()),
});
