import { z } from 'zod';
import { defineJob, SLACK_OPTIONS } from './job.js';

/**
 * A schedule's Slack user group becomes whoever is on call (at a handoff, or at start-up). The members
 * are worked out when it runs, so a late or repeated run sets the group right, never to an old rota.
 */
export const usergroupSyncJob = defineJob({
  name: 'usergroup.sync',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({ schedule: z.string().min(1), at: z.coerce.date() }),
  key: (p) => `usergroup-${p.schedule}-${p.at.getTime()}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.usergroups?.sync(p.schedule) ?? Promise.resolve(),
});
