import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/**
 * Sends one page DM, on the `pages` queue with the page client of its own. Its record is the page row (status pending → sent/failed/skipped); the
 * reconciler re-enqueues stale pending pages with `mayRepeat`, and a repeat looks for the DM first.
 */
export const pageSendJob = defineJob({
  name: 'page.send',
  queue: 'pages',
  durability: 'state',
  payload: z.object({ pageId: z.number().int().positive(), mayRepeat: z.boolean().optional() }),
  key: (p) => `page-${p.pageId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) =>
    deps.pages
      ? deps.pages.sendPage(p.pageId, { mayRepeat: run.mayRepeat || p.mayRepeat === true })
      : Promise.resolve(),
});
