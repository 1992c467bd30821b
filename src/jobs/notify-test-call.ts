import { defineJob, SLACK_OPTIONS } from './job.js';
import { notifyTestRef } from './notify-test.js';

/** A test call's final status came (Twilio's status callback): the person is told, once. */
export const notifyTestCallJob = defineJob({
  name: 'notify.test-call',
  queue: 'slack',
  durability: 'outbox',
  payload: notifyTestRef,
  key: (p) => `notify-test-call-${p.testId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) => deps.notifyTests?.reportCall(p.testId, run.mayRepeat) ?? Promise.resolve(),
});
