import type { WebClient } from '@slack/web-api';
import { AppError, isAppError } from '../../errors.js';
import type { Ability } from '../../incidents/access.js';
import type { Incident } from '../../incidents/incident-types.js';
import { type IncidentAccess, NO_SUCH_INCIDENT } from '../incident-access.js';

export interface IncidentActionDeps {
  lifecycle: { get(incidentId: number): Promise<Incident> };
  access: IncidentAccess;
}

const hidden = () => new AppError('not_found', 'no such incident', { userMessage: NO_SUCH_INCIDENT });

/**
 * The incident a button's value or a form's private_metadata names, re-checked on the server: Slack
 * echoes what we sent, but anyone can send a forged payload. A missing incident and one the person
 * may not view get the same answer.
 */
export async function incidentForAction(
  deps: IncidentActionDeps,
  incidentId: number | string | undefined,
  request: { userId: string; client: WebClient; ability: Ability; what: string },
): Promise<Incident> {
  const id = typeof incidentId === 'number' ? incidentId : Number(/^\d{1,15}$/.exec(incidentId ?? '')?.[0]);
  if (!Number.isSafeInteger(id) || id <= 0) throw hidden();
  const incident = await deps.lifecycle.get(id).catch((error: unknown) => {
    throw isAppError(error) && error.code === 'not_found' ? hidden() : error;
  });
  await deps.access.require(incident, request.userId, request.ability, request.client, {
    hidden: NO_SUCH_INCIDENT,
    what: request.what,
  });
  return incident;
}
