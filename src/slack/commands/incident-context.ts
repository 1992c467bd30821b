import { AppError } from '../../errors.js';
import type { IncidentService } from '../../incidents/incident-service.js';
import type { Incident } from '../../incidents/incident-types.js';

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
    userMessage:
      'This is not an incident channel: run the command in the incident’s channel, or add its number, like `#12`.',
  });
}
