import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/**
 * Re-renders an alert group's Slack side from Postgres (slack/alert-presenter.ts): its page DMs and
 * its message in the service's `alerts.channel`. One row per group, renewed by every change to the
 * group or its paging (coalescing): it renders whatever is newest when it runs. chat.update is
 * naturally idempotent; the channel message is found again by its metadata on a repeat.
 */
export const alertGroupRefreshJob = defineJob({
  name: 'alert-group.refresh',
  queue: 'slack',
  durability: 'outbox',
  coalesce: true,
  payload: z.object({ groupId: z.number().int().positive() }),
  key: (p) => `refresh-alert-group-${p.groupId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.alertPresenter?.refresh(p.groupId) ?? Promise.resolve(),
});
