import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/**
 * Re-renders an alert group's Slack side (its message in the service's `alerts.channel`, its page
 * DMs) from Postgres. One row per group, renewed by every change to it (coalescing), so a storm of
 * repeats is one edit; chat.update is naturally idempotent.
 */
export const alertGroupRefreshJob = defineJob({
  name: 'alert-group.refresh',
  queue: 'slack',
  durability: 'outbox',
  coalesce: true,
  payload: z.object({ groupId: z.number().int().positive() }),
  key: (p) => `refresh-alert-group-${p.groupId}`,
  options: SLACK_OPTIONS,
  handle: async (deps, p) => deps.alertPresenter?.refresh(p.groupId),
});
