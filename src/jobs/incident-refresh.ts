import { defineJob, incidentRef, SLACK_OPTIONS } from './job.js';

/**
 * Re-renders the headline card, its mirror and the topic from Postgres. One row per incident,
 * renewed by every change (coalescing): it renders whatever is newest when it runs. Naturally
 * idempotent (chat.update), so a repeat is harmless.
 */
export const incidentRefreshJob = defineJob({
  name: 'incident.refresh',
  queue: 'slack',
  durability: 'outbox',
  coalesce: true,
  payload: incidentRef,
  key: (p) => `refresh-inc-${p.incidentId}`,
  options: SLACK_OPTIONS,
  handle: (deps, p) => deps.presenter.refresh(p.incidentId),
});
