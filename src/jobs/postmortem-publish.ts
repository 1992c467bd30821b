import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/** Generates the postmortem draft, stores it, uploads it to the channel once, and posts its link. */
export const postmortemPublishJob = defineJob({
  name: 'postmortem.publish',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({
    incidentId: z.number().int().positive(),
    by: z.string(),
    /** When it was asked for (close or regenerate): one request, one key. */
    requestedAtMs: z.number().int(),
  }),
  key: (p) => `postmortem-${p.incidentId}-${p.requestedAtMs}`,
  options: SLACK_OPTIONS,
  // Drafts of long incidents take a while to build.
  deadlineMs: 120_000,
  handle: (deps, p, run) =>
    deps.publisher.publish(p.incidentId, p.by, { ...run, requestedAt: new Date(p.requestedAtMs) }),
});
