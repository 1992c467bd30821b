import type { IncidentService } from '../../incidents/incident-service.js';
import type { Logger } from '../../logger.js';
import { parseDeclareForm } from '../forms/declare-form.js';
import { BlockId, CallbackId } from '../ids.js';
import type { SlackRouter } from '../slack-router.js';
import { buildDeclareNotice } from '../views/declare-modal.js';
import { mrkdwn } from '../views/escape.js';
import { type AlertDeclareAnswer, type AlertDeclareDeps, declareFromAlert } from './alert-declare.js';
import { raceDeadline } from './deadline.js';
import { userFacingError } from './reply.js';

export interface DeclareModalDeps {
  incidents: IncidentService;
  logger: Logger;
  /** Declaring from an alert page (the modal carries its group); null: alerts are not set up. */
  alerts: AlertDeclareDeps | null;
}

/** The declare modal's submit: field errors stay in the modal; success closes it. */
export function registerDeclareModal(router: SlackRouter, deps: DeclareModalDeps): void {
  router.view(CallbackId.declareModal, async ({ ack, body, view, client }) => {
    const form = parseDeclareForm(view.state.values, view.private_metadata);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const { alertGroupId, ...fields } = form.value;
    const input = { ...fields, reporterId: body.user.id };
    // One view id per opened modal: a double submit repeats it.
    const idempotencyKey = `view-${view.id}`;
    const declaring: Promise<AlertDeclareAnswer> =
      alertGroupId !== null && deps.alerts
        ? declareFromAlert(deps.alerts, alertGroupId, input, { idempotencyKey, client })
        : deps.incidents.declare(input, { idempotencyKey }).then(() => ({ kind: 'declared' }));
    const answered = declaring.catch(
      (error: unknown): AlertDeclareAnswer => ({
        kind: 'refused',
        text: userFacingError(error, deps.logger, { view: view.id, user: body.user.id }),
      }),
    );
    const raced = await raceDeadline(answered);
    if (raced.done) {
      const answer = raced.value;
      // On failure the modal stays open with the reason, so nothing typed is lost and a retry is one click.
      if (answer.kind === 'declared') await ack();
      else if (answer.kind === 'notice')
        await ack({ response_action: 'update', view: buildDeclareNotice(answer.text) });
      else
        await ack({
          response_action: 'errors',
          errors: { [BlockId.declareTitle]: answer.text.slice(0, 2000) },
        });
      return;
    }
    // Too slow to answer inside Slack's 3 s: close the modal and report the outcome by DM.
    await ack();
    const answer = await raced.pending;
    if (answer.kind !== 'declared') {
      const text =
        answer.kind === 'notice'
          ? answer.text
          : `Your incident "${mrkdwn(fields.title)}" was not declared: ${answer.text}`;
      await client.chat
        .postMessage({ channel: body.user.id, text })
        .catch((error) => deps.logger.error({ err: error }, 'could not report a late declare failure'));
    }
  });
}
