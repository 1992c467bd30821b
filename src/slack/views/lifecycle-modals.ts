import type { ModalView } from '@slack/types';
import {
  INCIDENT_ROLES,
  type Incident,
  type IncidentRole,
  LIFECYCLE_STATUSES,
  type LifecycleStatus,
  ROLE_LABELS,
  SEVERITIES,
  SEVERITY_LEVELS,
  type Severity,
} from '../../incidents/incident-types.js';
import { ActionId, BlockId, CallbackId } from '../ids.js';
import { mrkdwnFit } from './escape.js';
import { statusLabel } from './format.js';

/** Every lifecycle modal carries the incident it acts on. */
export interface LifecycleModalMetadata {
  incidentId: number;
}

function base(
  callbackId: string,
  title: string,
  submit: string,
  incident: Incident,
): Omit<ModalView, 'blocks'> {
  const metadata: LifecycleModalMetadata = { incidentId: incident.id };
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
  };
}

const context = (incident: Incident) => ({
  type: 'context' as const,
  elements: [
    { type: 'mrkdwn' as const, text: `Incident #${incident.number}: ${mrkdwnFit(incident.title, 1000)}` },
  ],
});

export function buildUpdateModal(incident: Incident): ModalView {
  return {
    ...base(CallbackId.updateModal, 'Post an update', 'Post', incident),
    blocks: [
      context(incident),
      {
        type: 'input',
        block_id: BlockId.updateText,
        label: { type: 'plain_text', text: 'What changed, what is next' },
        element: {
          type: 'plain_text_input',
          action_id: ActionId.updateText,
          multiline: true,
          max_length: 3000,
        },
      },
    ],
  };
}

export function buildStatusModal(incident: Incident): ModalView {
  const option = (s: LifecycleStatus) => ({
    text: { type: 'plain_text' as const, text: statusLabel(s) },
    value: s,
  });
  const current = LIFECYCLE_STATUSES.find((s) => s === incident.status);
  return {
    ...base(CallbackId.statusModal, 'Change status', 'Change', incident),
    blocks: [
      context(incident),
      {
        type: 'input',
        block_id: BlockId.statusSelect,
        label: { type: 'plain_text', text: 'Status' },
        element: {
          type: 'static_select',
          action_id: ActionId.statusSelect,
          options: LIFECYCLE_STATUSES.map(option),
          ...(current ? { initial_option: option(current) } : {}),
        },
      },
    ],
  };
}

export function buildSeverityModal(incident: Incident): ModalView {
  const option = (s: Severity) => ({
    text: { type: 'plain_text' as const, text: `${s} · ${SEVERITY_LEVELS[s].name}` },
    value: s,
  });
  return {
    ...base(CallbackId.severityModal, 'Change severity', 'Change', incident),
    blocks: [
      context(incident),
      {
        type: 'input',
        block_id: BlockId.severitySelect,
        label: { type: 'plain_text', text: 'Severity' },
        element: {
          type: 'static_select',
          action_id: ActionId.severitySelect,
          options: SEVERITIES.map(option),
          initial_option: option(incident.severity),
        },
      },
    ],
  };
}

export function buildRoleModal(incident: Incident): ModalView {
  const option = (role: IncidentRole) => ({
    text: { type: 'plain_text' as const, text: ROLE_LABELS[role] },
    value: role,
  });
  return {
    ...base(CallbackId.roleModal, 'Assign a role', 'Assign', incident),
    blocks: [
      context(incident),
      {
        type: 'input',
        block_id: BlockId.roleSelect,
        label: { type: 'plain_text', text: 'Role' },
        element: {
          type: 'static_select',
          action_id: ActionId.roleSelect,
          options: INCIDENT_ROLES.map(option),
          initial_option: option('commander'),
        },
      },
      {
        type: 'input',
        block_id: BlockId.roleUser,
        label: { type: 'plain_text', text: 'Person' },
        element: { type: 'users_select', action_id: ActionId.roleUser },
      },
    ],
  };
}

/** The fields of the close modal: block id = action id = the narrative field it fills. */
export const CLOSE_FIELDS = [
  ['resolution', 'Resolution', 'What ended the impact (e.g. rolled back to v1.2.3)', true],
  ['rootCause', 'Root cause', 'Why it happened, as far as you know', true],
  ['usersAffected', 'Users affected', 'e.g. ~12,000', false],
  ['requestsImpacted', 'Requests impacted', 'e.g. 1.4 M', false],
  ['revenueImpact', 'Revenue impact', 'e.g. €8,000 estimated', false],
  ['wentWell', 'What went well', '', true],
  ['wentWrong', 'What went wrong', '', true],
  ['lessons', 'Lessons learned', '', true],
] as const;

export function buildCloseModal(incident: Incident): ModalView {
  return {
    ...base(CallbackId.closeModal, 'Close the incident', 'Close', incident),
    blocks: [
      context(incident),
      ...CLOSE_FIELDS.map(([id, label, placeholder, multiline]) => ({
        type: 'input' as const,
        block_id: id,
        optional: true,
        label: { type: 'plain_text' as const, text: label },
        element: {
          type: 'plain_text_input' as const,
          action_id: id,
          multiline,
          max_length: 3000,
          ...(placeholder ? { placeholder: { type: 'plain_text' as const, text: placeholder } } : {}),
        },
      })),
    ],
  };
}
