import type { App } from '@slack/bolt';
import type { IncidentService } from '../../incidents/incident-service.js';
import type { Logger } from '../../logger.js';
import { parseDeclareForm } from '../forms/declare-form.js';
import { BlockId, CallbackId } from '../ids.js';
import { userFacingError } from './reply.js';

export interface DeclareModalDeps {
  incidents: IncidentService;
  logger: Logger;
}

/** The declare modal's submit: field errors stay in the modal; success closes it. */
export function registerDeclareModal(app: App, deps: DeclareModalDeps): void {
  app.view(CallbackId.declareModal, async ({ ack, body, view }) => {
    const form = parseDeclareForm(view.state.values, view.private_metadata);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    try {
      await deps.incidents.declare(
        {
          title: form.value.title,
          severity: form.value.severity,
          summary: form.value.summary,
          service: form.value.service,
          isPrivate: form.value.isPrivate,
          reporterId: body.user.id,
          commanderId: form.value.commanderId,
          originChannelId: form.value.originChannelId,
        },
        // One view id per opened modal: a double submit repeats it.
        { idempotencyKey: `view-${view.id}` },
      );
      await ack();
    } catch (error) {
      // The modal stays open with the reason, so nothing typed is lost and a retry is one click.
      const message = userFacingError(error, deps.logger, { view: view.id, user: body.user.id });
      await ack({ response_action: 'errors', errors: { [BlockId.declareTitle]: message.slice(0, 2000) } });
    }
  });
}
