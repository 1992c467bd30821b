import type { ModalView } from '@slack/types';
import { SEVERITIES, SEVERITY_LEVELS, type Severity } from '../../incidents/incident-types.js';
import { MAX_TITLE_LENGTH } from '../commands/parse-command.js';
import { ActionId, BlockId, CallbackId } from '../ids.js';

export interface DeclareModalInput {
  reporterId: string;
  defaultSeverity: Severity;
  originChannelId: string | null;
  prefill?: { title?: string; service?: string; isPrivate?: boolean };
  /** Declaring from an alert page (its Declare incident button): the incident is linked to this group. */
  alertGroupId?: number;
}

/**
 * Carried through the modal in `private_metadata` so the submission knows where it came from. The
 * alert group is checked again on submission (anyone can forge a payload).
 */
export interface DeclareModalMetadata {
  originChannelId: string | null;
  alertGroupId?: number;
}

function severityOption(id: Severity) {
  const level = SEVERITY_LEVELS[id];
  return {
    text: { type: 'plain_text' as const, text: `${id} · ${level.name}` },
    description: {
      type: 'plain_text' as const,
      text: `Respond within ${level.respondWithin}. ${level.description}`.slice(0, 75),
    },
    value: id,
  };
}

export function buildDeclareModal(input: DeclareModalInput): ModalView {
  const metadata: DeclareModalMetadata = {
    originChannelId: input.originChannelId,
    ...(input.alertGroupId ? { alertGroupId: input.alertGroupId } : {}),
  };
  const privateOption = {
    text: { type: 'plain_text' as const, text: 'Private incident' },
    value: 'private',
    description: { type: 'plain_text' as const, text: 'Private channel, not announced' },
  };
  return {
    type: 'modal',
    callback_id: CallbackId.declareModal,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Declare an incident' },
    submit: { type: 'plain_text', text: 'Declare' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: BlockId.declareTitle,
        label: { type: 'plain_text', text: 'Title' },
        hint: { type: 'plain_text', text: 'What is broken, in a few words. It names the incident channel.' },
        element: {
          type: 'plain_text_input',
          action_id: ActionId.declareTitle,
          max_length: MAX_TITLE_LENGTH,
          placeholder: { type: 'plain_text', text: 'Checkout is returning 502s' },
          ...(input.prefill?.title ? { initial_value: input.prefill.title } : {}),
        },
      },
      {
        type: 'input',
        block_id: BlockId.declareSeverity,
        label: { type: 'plain_text', text: 'Severity' },
        element: {
          type: 'static_select',
          action_id: ActionId.declareSeverity,
          options: SEVERITIES.map(severityOption),
          initial_option: severityOption(input.defaultSeverity),
        },
      },
      {
        type: 'input',
        block_id: BlockId.declareSummary,
        optional: true,
        label: { type: 'plain_text', text: 'Summary and impact' },
        element: {
          type: 'plain_text_input',
          action_id: ActionId.declareSummary,
          multiline: true,
          max_length: 3000,
          placeholder: { type: 'plain_text', text: 'Who is affected and how?' },
        },
      },
      {
        type: 'input',
        block_id: BlockId.declareService,
        optional: true,
        label: { type: 'plain_text', text: 'Service' },
        element: {
          type: 'plain_text_input',
          action_id: ActionId.declareService,
          max_length: 63,
          placeholder: { type: 'plain_text', text: 'checkout' },
          ...(input.prefill?.service ? { initial_value: input.prefill.service } : {}),
        },
      },
      {
        type: 'input',
        block_id: BlockId.declareCommander,
        label: { type: 'plain_text', text: 'Incident commander' },
        element: {
          type: 'users_select',
          action_id: ActionId.declareCommander,
          initial_user: input.reporterId,
        },
      },
      {
        type: 'input',
        block_id: BlockId.declarePrivate,
        optional: true,
        label: { type: 'plain_text', text: 'Visibility' },
        element: {
          type: 'checkboxes',
          action_id: ActionId.declarePrivate,
          options: [privateOption],
          ...(input.prefill?.isPrivate ? { initial_options: [privateOption] } : {}),
        },
      },
    ],
  };
}

/** What a Declare from an alert is answered in place of the form (e.g. the alert already has an incident). */
export function buildDeclareNotice(text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Declare an incident' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
