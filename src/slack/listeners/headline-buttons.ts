import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { SEVERITIES } from '../../config.js';
import type { Incident } from '../../incidents/incident-types.js';
import type { LifecycleService } from '../../incidents/lifecycle-service.js';
import type { Logger } from '../../logger.js';
import { assertMayChange } from '../authorization.js';
import { ActionId, BlockId, CallbackId } from '../ids.js';
import type { SlackRouter } from '../slack-router.js';
import {
  buildCloseModal,
  buildRoleModal,
  buildSeverityModal,
  buildStatusModal,
  buildUpdateModal,
  CLOSE_FIELDS,
} from '../views/lifecycle-modals.js';
import { userFacingError } from './reply.js';

export interface HeadlineButtonDeps {
  lifecycle: LifecycleService;
  admins: readonly string[];
  logger: Logger;
}

const metadataSchema = z.object({ incidentId: z.number().int().positive() });

/** The headline card's buttons open small modals; their submissions call the lifecycle service. */
export function registerHeadlineButtons(router: SlackRouter, deps: HeadlineButtonDeps): void {
  const openers = [
    [ActionId.headlineUpdate, buildUpdateModal, null],
    [ActionId.headlineStatus, buildStatusModal, 'change the status'],
    [ActionId.headlineSeverity, buildSeverityModal, 'change the severity'],
    [ActionId.headlineRole, buildRoleModal, 'assign roles'],
    [ActionId.headlineClose, buildCloseModal, 'close this incident'],
  ] as const;
  for (const [actionId, build, guarded] of openers) {
    router.action(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      try {
        const incident = await deps.lifecycle.get(Number(action.value));
        if (guarded)
          await assertMayChange(incident, body.user.id, { client, admins: deps.admins, what: guarded });
        await client.views.open({ trigger_id: body.trigger_id, view: build(incident) });
      } catch (error) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: userFacingError(error, deps.logger, { action: actionId }),
        }).catch(() => {});
      }
    });
  }

  const direct = [
    [
      ActionId.headlineResolve,
      'resolve this incident',
      (i: Incident, user: string) => deps.lifecycle.setStatus(i.id, 'resolved', user),
    ],
    [
      ActionId.headlineReopen,
      'reopen this incident',
      (i: Incident, user: string) => deps.lifecycle.reopen(i.id, user),
    ],
  ] as const;
  for (const [actionId, what, run] of direct) {
    router.action(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      try {
        const incident = await deps.lifecycle.get(Number(action.value));
        await assertMayChange(incident, body.user.id, { client, admins: deps.admins, what });
        await run(incident, body.user.id);
      } catch (error) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: userFacingError(error, deps.logger, { action: actionId }),
        }).catch(() => {});
      }
    });
  }

  registerModal(router, deps, CallbackId.updateModal, null, async (incident, values, user) => {
    const text = (values[BlockId.updateText]?.[ActionId.updateText]?.value ?? '').trim();
    if (!text) return { [BlockId.updateText]: 'Write what changed and what happens next.' };
    await deps.lifecycle.postUpdate(incident.id, text, user);
    return null;
  });
  registerModal(router, deps, CallbackId.statusModal, 'change the status', async (incident, values, user) => {
    const status = values[BlockId.statusSelect]?.[ActionId.statusSelect]?.selected_option?.value;
    const valid = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
    const chosen = valid.find((s) => s === status);
    if (!chosen) return { [BlockId.statusSelect]: 'Choose a status.' };
    if (chosen === incident.status) return { [BlockId.statusSelect]: `The incident is already ${chosen}.` };
    await deps.lifecycle.setStatus(incident.id, chosen, user);
    return null;
  });
  registerModal(
    router,
    deps,
    CallbackId.severityModal,
    'change the severity',
    async (incident, values, user) => {
      const value = values[BlockId.severitySelect]?.[ActionId.severitySelect]?.selected_option?.value;
      const severity = SEVERITIES.find((s) => s === value);
      if (!severity) return { [BlockId.severitySelect]: 'Choose a severity.' };
      if (severity === incident.severity)
        return { [BlockId.severitySelect]: `The incident is already ${severity}.` };
      await deps.lifecycle.setSeverity(incident.id, severity, user);
      return null;
    },
  );
  registerModal(
    router,
    deps,
    CallbackId.closeModal,
    'close this incident',
    async (incident, values, user) => {
      const narrative: Record<string, string | null> = {};
      for (const [field] of CLOSE_FIELDS) narrative[field] = values[field]?.[field]?.value?.trim() || null;
      await deps.lifecycle.close(incident.id, narrative, user);
      return null;
    },
  );
  registerModal(router, deps, CallbackId.roleModal, 'assign roles', async (incident, values, user) => {
    const role = values[BlockId.roleSelect]?.[ActionId.roleSelect]?.selected_option?.value;
    const person = values[BlockId.roleUser]?.[ActionId.roleUser]?.selected_user;
    const errors: Record<string, string> = {};
    if (role !== 'commander' && role !== 'comms' && role !== 'scribe')
      errors[BlockId.roleSelect] = 'Choose a role.';
    if (!person) errors[BlockId.roleUser] = 'Choose a person.';
    if (Object.keys(errors).length) return errors;
    await deps.lifecycle.assignRole(incident.id, role as 'commander', person!, user);
    return null;
  });
}

type StateValues = Record<
  string,
  Record<
    string,
    { value?: string | null; selected_option?: { value: string } | null; selected_user?: string | null }
  >
>;

function registerModal(
  router: SlackRouter,
  deps: HeadlineButtonDeps,
  callbackId: string,
  guarded: string | null,
  submit: (incident: Incident, values: StateValues, user: string) => Promise<Record<string, string> | null>,
): void {
  router.view(callbackId, async ({ ack, body, view, client }) => {
    const firstBlock = view.blocks.find((b) => b.type === 'input')?.block_id ?? 'input';
    try {
      const { incidentId } = metadataSchema.parse(JSON.parse(view.private_metadata || '{}'));
      const incident = await deps.lifecycle.get(incidentId);
      if (guarded)
        await assertMayChange(incident, body.user.id, {
          client: client as WebClient,
          admins: deps.admins,
          what: guarded,
        });
      const errors = await submit(incident, view.state.values as StateValues, body.user.id);
      await ack(errors ? { response_action: 'errors', errors } : undefined);
    } catch (error) {
      await ack({
        response_action: 'errors',
        errors: { [firstBlock]: userFacingError(error, deps.logger, { view: callbackId }).slice(0, 2000) },
      });
    }
  });
}
