import { z } from 'zod';
import { defineJob, TIMER_OPTIONS } from './job.js';

/**
 * Declares the incident of a new alert group on a service with `alerts.declare` (written by
 * `openGroupIncident` in the intake's transaction). Idempotent: the group's row lock and its
 * `incident_id` make a repeated or concurrent run a no-op. A short database job, on the timers queue:
 * the incident's page must not wait behind Slack sends.
 */
export const alertGroupDeclareJob = defineJob({
  name: 'alert-group.declare',
  queue: 'timers',
  durability: 'outbox',
  payload: z.object({ groupId: z.number().int().positive() }),
  key: (p) => `alert-declare-${p.groupId}`,
  options: TIMER_OPTIONS,
  handle: (deps, p) => deps.alertIncidents.declareForAlertGroup(p.groupId),
});
