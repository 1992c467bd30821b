import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/**
 * A page's line in the incident channel ("Paged @x", or why it could not be), on the Slack-sends
 * queue: it is cosmetic, so a 429 on it never holds a page DM. Its record is the page row
 * (`channel_noted_at`); woken after the page was sent or refused and after the channel's set-up, and
 * re-enqueued by the reconciler. A repeat looks for the line (tagged with the page id) first.
 */
export const pageNoteJob = defineJob({
  name: 'page.note',
  queue: 'slack',
  durability: 'state',
  payload: z.object({ pageId: z.number().int().positive(), mayRepeat: z.boolean().optional() }),
  key: (p) => `page-note-${p.pageId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p, run) =>
    deps.notifier
      ? deps.notifier.noteInChannel(p.pageId, { mayRepeat: run.mayRepeat || p.mayRepeat === true })
      : Promise.resolve(),
});
