import { z } from 'zod';

/**
 * What an incident's paging announcement names: the incident, the escalation's epoch and, since an
 * incident may page several teams, the escalation (absent on rows queued before it could: the
 * incident's own escalation).
 */
export const incidentPagingPayload = z.object({
  incidentId: z.number().int().positive(),
  epoch: z.number().int().min(0),
  escalationId: z.number().int().positive().optional(),
});

/** The part of a job key that names the escalation: `esc-7`, or `inc-3` for an older row. */
export const escalationKey = (p: { incidentId: number; escalationId?: number | undefined }) =>
  p.escalationId === undefined ? `inc-${p.incidentId}` : `esc-${p.escalationId}`;
