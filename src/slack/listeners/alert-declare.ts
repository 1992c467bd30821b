import type { WebClient } from '@slack/web-api';
import type { AlertIncidents } from '../../alerts/alert-incidents.js';
import { incidentTitle } from '../../alerts/alert-incidents.js';
import type { DeclareIncidentInput, Incident } from '../../incidents/incident-types.js';
import type { ReadModel } from '../../incidents/read-model.js';
import { type AlertGroupAccess, NO_SUCH_ALERT } from '../alert-group-access.js';
import { declaredMessage } from '../commands/general-commands.js';
import type { IncidentAccess } from '../incident-access.js';
import { buildDeclareModal } from '../views/declare-modal.js';
import type { DeclareFromAlertRequest } from './alert-buttons.js';

export interface AlertDeclareDeps {
  alertIncidents: Pick<AlertIncidents, 'findGroup' | 'declareFromGroup'>;
  /** The alert access rule (who may act on a group), applied again on submission. */
  alertAccess: Pick<AlertGroupAccess, 'require'>;
  readModel: Pick<ReadModel, 'findIncident'>;
  access: IncidentAccess;
}

/** How a Declare from an alert ended: declared (close the form), or a message for the person. */
export type AlertDeclareAnswer = { kind: 'declared' } | { kind: 'refused' | 'notice'; text: string };

/**
 * The Declare incident button: opens the declare modal prefilled from the group (title, severity,
 * service) and carrying its id, or, when the group already has an incident, says which.
 */
export function createAlertDeclareOpener(deps: AlertDeclareDeps) {
  return async (request: DeclareFromAlertRequest): Promise<void> => {
    const group = await deps.alertIncidents.findGroup(request.groupId);
    if (!group) return request.reply(NO_SUCH_ALERT);
    if (group.incidentId !== null)
      return request.reply(await alreadyDeclared(deps, group.incidentId, request.userId, request.client));
    await request.client.views.open({
      trigger_id: request.triggerId,
      view: buildDeclareModal({
        reporterId: request.userId,
        defaultSeverity: group.severity,
        originChannelId: null,
        prefill: { title: incidentTitle(group.title), service: group.service },
        alertGroupId: group.id,
      }),
    });
  };
}

/**
 * The declare modal submitted from an alert: the group is checked again (the metadata may be
 * forged), then the incident is declared and linked to it in one transaction.
 */
export async function declareFromAlert(
  deps: AlertDeclareDeps,
  groupId: number,
  input: DeclareIncidentInput,
  request: { idempotencyKey: string; client: WebClient },
): Promise<AlertDeclareAnswer> {
  // A refusal is an AppError answered as for a group that does not exist.
  await deps.alertAccess.require(groupId, input.reporterId, 'declare', request.client);
  const result = await deps.alertIncidents.declareFromGroup(groupId, input, {
    idempotencyKey: request.idempotencyKey,
  });
  if (result.kind === 'no_group') return { kind: 'refused', text: NO_SUCH_ALERT };
  if (result.kind === 'declared') return { kind: 'declared' };
  return {
    kind: 'notice',
    text: await alreadyDeclared(deps, result.incident.id, input.reporterId, request.client),
  };
}

/** Which incident the alert has: named only to someone who may view it. */
async function alreadyDeclared(
  deps: Pick<AlertDeclareDeps, 'readModel' | 'access'>,
  incidentId: number,
  userId: string,
  client: WebClient,
): Promise<string> {
  const incident: Incident | null = await deps.readModel.findIncident(incidentId);
  const visible = incident && (await deps.access.verdict(incident, userId, 'view', client)) !== 'hidden';
  return visible
    ? `:information_source: This alert already has an incident. ${declaredMessage(incident, false)}`
    : ':information_source: This alert already has an incident; its responders can add you.';
}
