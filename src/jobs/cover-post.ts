import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

export const coverRequestRef = z.object({ requestId: z.number().int().positive() });

/** A new cover request, posted once: in the team channel or to each participant, and to the requester. */
export const coverPostJob = defineJob({
  name: 'cover.post',
  queue: 'slack',
  durability: 'outbox',
  payload: coverRequestRef,
  key: (p) => `cover-post-${p.requestId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) => deps.coverMessenger?.post(p.requestId, run) ?? Promise.resolve(),
});
