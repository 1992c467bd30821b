import type { WebClient } from '@slack/web-api';
import type { Incident } from '../../incidents/incident-types.js';
import type { LifecycleService } from '../../incidents/lifecycle-service.js';
import type { Logger } from '../../logger.js';
import type { FormResult } from '../forms/form-state.js';
import {
  parseCloseForm,
  parseLifecycleMetadata,
  parseRoleForm,
  parseSeverityForm,
  parseStatusForm,
  parseUpdateForm,
} from '../forms/lifecycle-forms.js';
import { ActionId, CallbackId } from '../ids.js';
import type { IncidentAccess } from '../incident-access.js';
import type { SlackRouter } from '../slack-router.js';
import {
  buildCloseModal,
  buildRoleModal,
  buildSeverityModal,
  buildStatusModal,
  buildUpdateModal,
} from '../views/lifecycle-modals.js';
import { incidentForAction } from './incident-action.js';
import { userFacingError } from './reply.js';

export interface HeadlineButtonDeps {
  lifecycle: LifecycleService;
  access: IncidentAccess;
  logger: Logger;
}

/** The headline card's buttons open small modals; their submissions call the lifecycle service. */
export function registerHeadlineButtons(router: SlackRouter, deps: HeadlineButtonDeps): void {
  const openers = [
    [ActionId.headlineUpdate, buildUpdateModal, 'post updates'],
    [ActionId.headlineStatus, buildStatusModal, 'change the status'],
    [ActionId.headlineSeverity, buildSeverityModal, 'change the severity'],
    [ActionId.headlineRole, buildRoleModal, 'assign roles'],
    [ActionId.headlineClose, buildCloseModal, 'close this incident'],
  ] as const;
  for (const [actionId, build, guarded] of openers) {
    router.action(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      try {
        const incident = await incidentForAction(deps, action.value, {
          userId: body.user.id,
          client,
          ability: 'change',
          what: guarded,
        });
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
        const incident = await incidentForAction(deps, action.value, {
          userId: body.user.id,
          client,
          ability: 'change',
          what,
        });
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

  registerModal(router, deps, CallbackId.updateModal, 'post updates', async (incident, values, user) => {
    const form = parseUpdateForm(values);
    if (form.ok) await deps.lifecycle.postUpdate(incident.id, form.value.text, user);
    return form;
  });
  registerModal(router, deps, CallbackId.statusModal, 'change the status', async (incident, values, user) => {
    const form = parseStatusForm(values, incident);
    if (form.ok) await deps.lifecycle.setStatus(incident.id, form.value.status, user);
    return form;
  });
  registerModal(
    router,
    deps,
    CallbackId.severityModal,
    'change the severity',
    async (incident, values, user) => {
      const form = parseSeverityForm(values, incident);
      if (form.ok) await deps.lifecycle.setSeverity(incident.id, form.value.severity, user);
      return form;
    },
  );
  registerModal(
    router,
    deps,
    CallbackId.closeModal,
    'close this incident',
    async (incident, values, user) => {
      const form = parseCloseForm(values);
      if (form.ok) await deps.lifecycle.close(incident.id, form.value, user);
      return form;
    },
  );
  registerModal(router, deps, CallbackId.roleModal, 'assign roles', async (incident, values, user) => {
    const form = parseRoleForm(values);
    if (form.ok) await deps.lifecycle.assignRole(incident.id, form.value.role, form.value.userId, user);
    return form;
  });
}

/** Re-checks the incident and the access rule; `submit` parses the form (forms/) and calls one service method. */
function registerModal(
  router: SlackRouter,
  deps: HeadlineButtonDeps,
  callbackId: string,
  what: string,
  submit: (incident: Incident, values: unknown, user: string) => Promise<FormResult<unknown>>,
): void {
  router.view(callbackId, async ({ ack, body, view, client }) => {
    const firstBlock = view.blocks.find((b) => b.type === 'input')?.block_id ?? 'input';
    try {
      const metadata = parseLifecycleMetadata(view.private_metadata);
      if (!metadata) {
        await ack({
          response_action: 'errors',
          errors: {
            [firstBlock]: 'This form lost track of its incident; please close it and open it again.',
          },
        });
        return;
      }
      // The metadata is what we sent, echoed by the client: checked again, never trusted.
      const incident = await incidentForAction(deps, metadata.incidentId, {
        userId: body.user.id,
        client: client as WebClient,
        ability: 'change',
        what,
      });
      const result = await submit(incident, view.state.values, body.user.id);
      await ack(result.ok ? undefined : { response_action: 'errors', errors: result.errors });
    } catch (error) {
      await ack({
        response_action: 'errors',
        errors: { [firstBlock]: userFacingError(error, deps.logger, { view: callbackId }).slice(0, 2000) },
      });
    }
  });
}
