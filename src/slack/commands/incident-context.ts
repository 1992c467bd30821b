import { AppError } from '../../errors.js';
import { noIncidentText, parseIncidentReference } from '../../incidents/incident-queries.js';
import type { IncidentService } from '../../incidents/incident-service.js';
import type { Incident } from '../../incidents/incident-types.js';

const NOT_AN_INCIDENT_CHANNEL =
  'This is not an incident channel: run the command in the incident’s channel, or add its number, like `#12`.';

/**
 * What a command is told when its incident does not exist, or when the person may not see it: the
 * same words either way, so nobody can tell a private incident from a missing one.
 */
export function missingIncidentText(reference: string | null): string {
  const number = reference === null ? null : parseIncidentReference(reference);
  return number === null ? NOT_AN_INCIDENT_CHANNEL : noIncidentText(number);
}

/** The incident a command acts on: the one named, or the one whose channel the command came from. */
export async function incidentFor(
  reference: string | null,
  channelId: string,
  incidents: IncidentService,
): Promise<Incident> {
  if (reference) return incidents.getByReference(reference);
  const incident = await incidents.findByChannel(channelId);
  if (incident) return incident;
  throw new AppError('command_invalid', 'no incident in this channel', {
    userMessage: NOT_AN_INCIDENT_CHANNEL,
  });
}
