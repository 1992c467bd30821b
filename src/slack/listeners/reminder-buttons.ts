import type { LifecycleService } from '../../incidents/lifecycle-service.js';
import type { Logger } from '../../logger.js';
import { ActionId } from '../ids.js';
import type { SlackRouter } from '../slack-router.js';
import { type IncidentActionDeps, incidentForAction } from './incident-action.js';
import { userFacingError } from './reply.js';

/** Snooze buttons on an update reminder: value `<incidentId>-<minutes>`. */
export function registerReminderButtons(
  router: SlackRouter,
  deps: IncidentActionDeps & { lifecycle: LifecycleService; logger: Logger },
): void {
  router.action(ActionId.snoozeReminder, async ({ ack, body, action, respond, client }) => {
    await ack();
    const match = /^(\d+)-(\d+)$/.exec(action.value ?? '');
    try {
      if (!match) throw new Error(`bad snooze value ${action.value}`);
      const minutes = Number(match[2]);
      const incident = await incidentForAction(deps, match[1], {
        userId: body.user.id,
        client,
        ability: 'change',
        what: 'snooze its update reminder',
      });
      await deps.lifecycle.snoozeReminder(incident.id, minutes, body.user.id);
      await respond({
        replace_original: true,
        text: `:zzz: <@${body.user.id}> snoozed the update reminder for ${minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`}.`,
      });
    } catch (error) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: userFacingError(error, deps.logger, { action: ActionId.snoozeReminder }),
      }).catch(() => {});
    }
  });
}
