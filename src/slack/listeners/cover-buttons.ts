import type { CoverService } from '../../escalation/cover-service.js';
import type { Logger } from '../../logger.js';
import { ActionId } from '../ids.js';
import type { ActionArgs, SlackRouter } from '../slack-router.js';
import { identify } from '../user-identity.js';
import { cancelAnswer, takeAnswer } from '../views/cover-answers.js';
import { userFacingError } from './reply.js';

export interface CoverButtonDeps {
  cover: CoverService | null;
  logger: Logger;
}

/**
 * *Take it* and *Cancel request* on a cover request's copies. The copies themselves are edited by
 * the worker (cover.refresh); the clicker gets an ephemeral answer. The button's value is only a
 * request id: who may act is decided again on the server.
 */
export function registerCoverButtons(router: SlackRouter, deps: CoverButtonDeps): void {
  const button =
    (actionId: string, act: (cover: CoverService, id: number, args: ActionArgs) => Promise<string>) =>
    async (args: ActionArgs) => {
      const { ack, body, action, respond } = args;
      await ack();
      const reply = (text: string) =>
        respond({ response_type: 'ephemeral', replace_original: false, text }).catch((error) =>
          deps.logger.warn({ err: error, action: actionId }, 'could not answer a cover request click'),
        );
      if (!deps.cover) return void (await reply('Paging is not configured on this bot.'));
      const id = /^\d{1,12}$/.test(action.value ?? '') ? Number(action.value) : 0;
      try {
        await reply(await act(deps.cover, id, args));
      } catch (error) {
        await reply(userFacingError(error, deps.logger, { action: actionId, user: body.user.id }));
      }
    };

  router.action(
    ActionId.takeCover,
    button(ActionId.takeCover, async (cover, id, { body, client }) => {
      return takeAnswer(await cover.take(id, await identify(client, body.user.id)));
    }),
  );

  router.action(
    ActionId.cancelCover,
    button(ActionId.cancelCover, async (cover, id, { body, client }) =>
      cancelAnswer(await cover.cancel(id, await identify(client, body.user.id))),
    ),
  );
}
