import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/**
 * "Could not reach @bob by sms: invalid number" in the incident channel (or an alert group's
 * channel): written with the failed or throttled step's outcome, posted once (tagged with the step).
 */
export const deliveryNoteJob = defineJob({
  name: 'delivery.note',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({ deliveryId: z.number().int().positive() }),
  key: (p) => `delivery-note-${p.deliveryId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) =>
    deps.deliveryNotifier?.post(p.deliveryId, { mayRepeat: run.mayRepeat }) ?? Promise.resolve(),
});
