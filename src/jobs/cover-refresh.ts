import { coverRequestRef } from './cover-post.js';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** Every posted copy of a cover request edited to its state now (taken, cancelled, expired). */
export const coverRefreshJob = defineJob({
  name: 'cover.refresh',
  queue: 'slack',
  durability: 'outbox',
  payload: coverRequestRef,
  key: (p) => `cover-refresh-${p.requestId}`,
  options: SLACK_OPTIONS,
  // The edit shows the state at its run, so a pending one is renewed rather than repeated.
  coalesce: true,
  handle: (deps, p) => deps.coverMessenger?.refresh(p.requestId) ?? Promise.resolve(),
});
