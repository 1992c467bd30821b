import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

export const notifyTestRef = z.object({ testId: z.number().int().positive() });

/**
 * A test notification (`/incident oncall me`, *Send test*): sent once through the channel's adapter,
 * then the person is told by DM how it went. A retry never sends again (the row is claimed first).
 */
export const notifyTestJob = defineJob({
  name: 'notify.test',
  queue: 'slack',
  durability: 'outbox',
  payload: notifyTestRef,
  key: (p) => `notify-test-${p.testId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) => deps.notifyTests?.run(p.testId, run.mayRepeat) ?? Promise.resolve(),
});
