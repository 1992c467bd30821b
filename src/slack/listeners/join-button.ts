import { isAppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { ActionId } from '../ids.js';
import { describeSlackError, slackErrorCode } from '../slack-errors.js';
import type { SlackRouter } from '../slack-router.js';
import { type IncidentActionDeps, incidentForAction } from './incident-action.js';
import { userFacingError } from './reply.js';

export interface JoinButtonDeps extends IncidentActionDeps {
  logger: Logger;
}

const NOT_OPEN = 'That incident is not open to join.';

/** "Join incident channel" on the announcement: invites the clicker, tolerating "already in". */
export function registerJoinButton(router: SlackRouter, deps: JoinButtonDeps): void {
  router.action(ActionId.joinIncident, async ({ ack, body, action, client, respond }) => {
    await ack();
    const reply = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text }).catch((error) =>
        deps.logger.warn({ err: error }, 'could not answer a join click'),
      );
    try {
      // Only public incidents have a Join button; a private one answers as a missing one does.
      const incident = await incidentForAction(deps, action.value, {
        userId: body.user.id,
        client,
        ability: 'view',
        what: 'join it',
      }).catch((error: unknown) => {
        if (isAppError(error) && error.code === 'not_found') return null;
        throw error;
      });
      if (!incident || incident.isPrivate) return void (await reply(NOT_OPEN));
      if (!incident.channelId)
        return void (await reply('Its channel is still being created; try again in a few seconds.'));
      try {
        await client.conversations.invite({ channel: incident.channelId, users: body.user.id });
        await reply(`You joined <#${incident.channelId}>.`);
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === 'already_in_channel') await reply(`You are already in <#${incident.channelId}>.`);
        else if (code === 'is_archived')
          await reply(`<#${incident.channelId}> is archived: the incident is over.`);
        else
          await reply(
            `:warning: I could not add you to <#${incident.channelId}> (\`${describeSlackError(error)}\`).`,
          );
      }
    } catch (error) {
      await reply(userFacingError(error, deps.logger, { action: ActionId.joinIncident, user: body.user.id }));
    }
  });
}
