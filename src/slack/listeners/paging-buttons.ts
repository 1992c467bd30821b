import type { PagingTarget } from '../../escalation/escalation-responses.js';
import type { EscalationService } from '../../escalation/escalation-service.js';
import type { Logger } from '../../logger.js';
import { ActionId, parsePagingValue } from '../ids.js';
import type { SlackRouter } from '../slack-router.js';
import { slackDate } from '../views/format.js';
import { type IncidentActionDeps, incidentForAction } from './incident-action.js';
import { userFacingError } from './reply.js';

export interface PagingButtonDeps extends IncidentActionDeps {
  escalation: EscalationService | null;
  logger: Logger;
}

/** The incident's own paging, or one escalation of it, checked to be the incident's (a value may be forged). */
const pagingTarget = (incidentId: number, escalationId: number | undefined): PagingTarget =>
  escalationId === undefined ? incidentId : { incidentId, escalationId };

/** Acknowledge and Escalate now on a page DM. The DM itself is edited by the worker after an ack. */
export function registerPagingButtons(router: SlackRouter, deps: PagingButtonDeps): void {
  router.action(ActionId.acknowledgePage, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text }).catch((error) =>
        deps.logger.warn({ err: error }, 'could not answer an acknowledge click'),
      );
    if (!deps.escalation) return void (await reply('Paging is not configured on this bot.'));
    try {
      const value = parsePagingValue(action.value, false);
      // Only the people paged, role holders and admins: anyone can click a card's button.
      const incident = await incidentForAction(deps, value?.incidentId, {
        userId: body.user.id,
        client,
        ability: 'acknowledge',
        what: 'acknowledge',
      });
      const result = await deps.escalation.acknowledge(
        pagingTarget(incident.id, value!.escalationId),
        body.user.id,
        'slack',
      );
      if (result.ok) return;
      if (result.reason === 'already_acknowledged') {
        const who = result.by === body.user.id ? 'you' : `<@${result.by}>`;
        await reply(`Already acknowledged by ${who} at ${slackDate(result.at, '{time}')}.`);
      } else {
        await reply(
          result.state === 'resolved'
            ? 'This incident is resolved; there is nothing to acknowledge.'
            : 'This incident is not paging anyone right now.',
        );
      }
    } catch (error) {
      await reply(
        userFacingError(error, deps.logger, { action: ActionId.acknowledgePage, user: body.user.id }),
      );
    }
  });

  router.action(ActionId.escalateNow, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text }).catch((error) =>
        deps.logger.warn({ err: error }, 'could not answer an escalate click'),
      );
    if (!deps.escalation) return void (await reply('Paging is not configured on this bot.'));
    const value = parsePagingValue(action.value, true);
    if (!value) return void (await reply('This button is out of date.'));
    try {
      const incident = await incidentForAction(deps, value.incidentId, {
        userId: body.user.id,
        client,
        ability: 'escalate',
        what: 'escalate this incident',
      });
      const escalated = await deps.escalation.escalateNow(
        pagingTarget(incident.id, value.escalationId),
        body.user.id,
        value.epoch,
      );
      await reply(
        escalated
          ? ':arrow_double_up: Escalating to the next level now.'
          : 'The escalation has moved on since this page (acknowledged, escalated or resolved); nothing changed.',
      );
    } catch (error) {
      await reply(userFacingError(error, deps.logger, { action: ActionId.escalateNow, user: body.user.id }));
    }
  });
}
