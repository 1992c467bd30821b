import { coverRequestRef } from './cover-post.js';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** A cover request taken: the taker and the requester are each told by DM, once. */
export const coverTakenJob = defineJob({
  name: 'cover.taken',
  queue: 'slack',
  durability: 'outbox',
  payload: coverRequestRef,
  key: (p) => `cover-taken-${p.requestId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) => deps.coverMessenger?.notifyTaken(p.requestId, run) ?? Promise.resolve(),
});
