import type { IncidentService } from '../../incidents/incident-service.js';
import type { Logger } from '../../logger.js';
import { parseDeclareForm } from '../forms/declare-form.js';
import { BlockId, CallbackId } from '../ids.js';
import type { SlackRouter } from '../slack-router.js';
import { mrkdwn } from '../views/escape.js';
import { raceDeadline } from './deadline.js';
import { userFacingError } from './reply.js';

export interface DeclareModalDeps {
  incidents: IncidentService;
  logger: Logger;
}

/** The declare modal's submit: field errors stay in the modal; success closes it. */
export function registerDeclareModal(router: SlackRouter, deps: DeclareModalDeps): void {
  router.view(CallbackId.declareModal, async ({ ack, body, view, client }) => {
    const form = parseDeclareForm(view.state.values, view.private_metadata);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const declared = deps.incidents
      .declare(
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
      )
      .then(
        () => null,
        (error: unknown) => userFacingError(error, deps.logger, { view: view.id, user: body.user.id }),
      );
    const raced = await raceDeadline(declared);
    if (raced.done) {
      // On failure the modal stays open with the reason, so nothing typed is lost and a retry is one click.
      if (raced.value === null) await ack();
      else
        await ack({
          response_action: 'errors',
          errors: { [BlockId.declareTitle]: raced.value.slice(0, 2000) },
        });
      return;
    }
    // Too slow to answer inside Slack's 3 s: close the modal and report the outcome by DM.
    await ack();
    const problem = await raced.pending;
    if (problem !== null) {
      await client.chat
        .postMessage({
          channel: body.user.id,
          text: `Your incident "${mrkdwn(form.value.title)}" was not declared: ${problem}`,
        })
        .catch((error) => deps.logger.error({ err: error }, 'could not report a late declare failure'));
    }
  });
}
