import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/**
 * A link bookmarked in the incident's channel: `/incident link`, and the service's runbook at
 * declare. Once per incident and URL (the adapter also finds a bookmark it already added).
 */
export const channelBookmarkJob = defineJob({
  name: 'incident.bookmark',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({
    incidentId: z.number().int().positive(),
    url: z.string().url(),
    title: z.string().nullable(),
  }),
  key: (p) => `bookmark-${p.incidentId}-${createHash('sha256').update(p.url).digest('hex').slice(0, 16)}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.bookmarks.add(p.incidentId, { url: p.url, title: p.title }),
});
