import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { NotifyTests } from '../../escalation/notify-tests.js';
import type { Identity } from '../../escalation/override-access.js';
import type { Channel } from '../../escalation/people.js';
import type { Logger } from '../../logger.js';
import type { SlackRouter } from '../slack-router.js';
import { identify } from '../user-identity.js';
import { type NotifyRulesInput, TEST_ACTION, testRequestAnswer } from '../views/notify-rules.js';
import { userFacingError } from './reply.js';

/**
 * Who the viewer is as `people:` may name them: a users.info call only when an entry could name
 * them by email and none names their id.
 */
export async function viewerIdentity(
  client: WebClient,
  userId: string,
  tests: NotifyTests,
): Promise<Identity> {
  return tests.needsEmail(userId) ? identify(client, userId) : { id: userId, email: null };
}

/** What the rules view needs for the viewer, with a fresh nonce for its buttons. */
export async function viewerRules(
  client: WebClient,
  userId: string,
  tests: NotifyTests,
): Promise<NotifyRulesInput> {
  const who = await viewerIdentity(client, userId, tests);
  return { ...tests.rulesFor(who), viewerId: userId, nonce: randomBytes(9).toString('base64url') };
}

const VALUE = /^([UW][A-Z0-9]{2,20}):([A-Za-z0-9_-]{8,40})$/;

/**
 * *Send test* (one action id per channel). The value names the owner and a nonce; the service
 * tests only the clicker's own rules and refuses a button of someone else's exactly as a rule that
 * does not exist. From a message the answer is ephemeral; from App Home (no response URL) a DM.
 */
export function registerNotifyTestButtons(
  router: SlackRouter,
  deps: { notifyTests: NotifyTests | null; logger: Logger },
): void {
  for (const [channel, actionId] of Object.entries(TEST_ACTION) as [Channel, string][]) {
    router.action(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const userId = body.user.id;
      const reply = async (text: string) => {
        try {
          if ('response_url' in body && body.response_url)
            await respond({ response_type: 'ephemeral', replace_original: false, text });
          else await client.chat.postMessage({ channel: userId, text });
        } catch (error) {
          deps.logger.warn({ err: error, action: actionId }, 'could not answer a test notification click');
        }
      };
      const tests = deps.notifyTests;
      if (!tests) return reply('Paging is not configured on this bot.');
      try {
        const [, owner = '', nonce = ''] = VALUE.exec(action.value ?? '') ?? [];
        const outcome = await tests.request({
          clicker: await viewerIdentity(client, userId, tests),
          owner,
          channel,
          nonce,
        });
        await reply(testRequestAnswer(outcome));
      } catch (error) {
        await reply(userFacingError(error, deps.logger, { action: actionId, user: userId }));
      }
    });
  }
}
