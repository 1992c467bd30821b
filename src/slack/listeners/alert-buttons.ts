import type { WebClient } from '@slack/web-api';
import type { AlertActions } from '../../alerts/alert-types.js';
import type { AlertGroupPaging } from '../../escalation/alert-paging.js';
import type { Logger } from '../../logger.js';
import type { AlertGroupAccess } from '../alert-group-access.js';
import { ActionId } from '../ids.js';
import type { ActionArgs, SlackRouter } from '../slack-router.js';
import { actorMention, slackDate } from '../views/format.js';
import { userFacingError } from './reply.js';

/** What the Declare incident button hands to the declare flow (branch `declare` fills the seam). */
export interface DeclareFromAlertRequest {
  groupId: number;
  userId: string;
  triggerId: string;
  client: WebClient;
  /** An ephemeral answer to the clicker. */
  reply(text: string): Promise<void>;
}

export interface AlertButtonDeps {
  access: AlertGroupAccess;
  /** Null without an oncall.yaml. */
  alertPaging: AlertGroupPaging | null;
  /** Acknowledge and Resolve in Slack (alert intake, src/alerts/alert-service.ts), recorded with who. */
  alertActions: AlertActions | null;
  /** Opens the declare modal prefilled from the group; null until it is wired. */
  openDeclareForAlertGroup: ((request: DeclareFromAlertRequest) => Promise<void>) | null;
  logger: Logger;
}

type Handler = (args: ActionArgs, reply: (text: string) => Promise<void>) => Promise<void>;

/**
 * The buttons of an alert page (DM or alerts channel message): Acknowledge and Resolve are recorded
 * by alert intake (the alerts, the group, who) and stop the escalation through the engine; Escalate
 * now goes to the engine as an incident page's does;
 * Declare incident opens the declare flow. Each re-checks the access rule first; the DMs and the
 * message are edited by the `alert-group.refresh` job after a change.
 */
export function registerAlertButtons(router: SlackRouter, deps: AlertButtonDeps): void {
  const on = (actionId: string, handler: Handler) =>
    router.action(actionId, async (args) => {
      await args.ack();
      const reply = (text: string) =>
        args
          .respond({ response_type: 'ephemeral', replace_original: false, text })
          .then(() => undefined)
          .catch((error) => deps.logger.warn({ err: error, actionId }, 'could not answer an alert button'));
      try {
        await handler(args, reply);
      } catch (error) {
        await reply(userFacingError(error, deps.logger, { action: actionId, user: args.body.user.id }));
      }
    });
  const notPaging = 'Paging is not configured on this bot.';

  on(ActionId.alertAcknowledge, async ({ body, action, client }, reply) => {
    const userId = body.user.id;
    const group = await deps.access.require(action.value, userId, 'acknowledge', client);
    if (!deps.alertActions || !deps.alertPaging) return reply(notPaging);
    // Alert intake records it on the alerts and the group, and stops the escalation through the
    // engine in the same transaction; of concurrent clicks exactly one changes anything.
    if (await deps.alertActions.acknowledgeGroup(group.id, userId)) return;
    const now = await deps.access.require(group.id, userId, 'acknowledge', client);
    if (now.state === 'acknowledged' && now.acknowledgedBy && now.acknowledgedAt) {
      const by = now.acknowledgedBy === userId ? 'you' : actorMention(now.acknowledgedBy);
      return reply(`Already acknowledged by ${by} at ${slackDate(now.acknowledgedAt, '{time}')}.`);
    }
    await reply(
      now.state === 'resolved'
        ? 'This alert is resolved; there is nothing to acknowledge.'
        : 'This alert is not paging anyone right now.',
    );
  });

  on(ActionId.alertEscalate, async ({ body, action, client }, reply) => {
    const match = /^(\d+)-(\d+)$/.exec(action.value ?? '');
    const group = await deps.access.require(match?.[1], body.user.id, 'escalate', client);
    if (!deps.alertPaging) return reply(notPaging);
    const escalated = await deps.alertPaging.escalateNow(group.id, body.user.id, Number(match![2]));
    await reply(
      escalated
        ? ':arrow_double_up: Escalating to the next level now.'
        : 'The escalation has moved on since this page (acknowledged, escalated or resolved); nothing changed.',
    );
  });

  on(ActionId.alertResolve, async ({ body, action, client }, reply) => {
    const group = await deps.access.require(action.value, body.user.id, 'resolve', client);
    if (!deps.alertActions) return reply('Resolving alerts from Slack is not available on this bot.');
    if (!(await deps.alertActions.resolveGroup(group.id, body.user.id)))
      await reply('This alert is already resolved.');
  });

  on(ActionId.alertDeclare, async ({ body, action, client }, reply) => {
    const group = await deps.access.require(action.value, body.user.id, 'declare', client);
    if (!deps.openDeclareForAlertGroup)
      return reply('Declaring an incident from an alert is not available on this bot.');
    await deps.openDeclareForAlertGroup({
      groupId: group.id,
      userId: body.user.id,
      triggerId: body.trigger_id,
      client,
      reply,
    });
  });
}
