import { startTwilioOutbox, type TwilioOutbox } from '@incident-bot/local-slack';

export type { SentByTwilio } from '@incident-bot/local-slack';

/**
 * A local Twilio REST API (the local Slack package's fake: the Messages.json and Calls.json shapes and
 * error codes the bot uses) that also posts Twilio's signed webhooks back (`postSigned`, `reply`).
 */
export type TwilioFake = TwilioOutbox;

export function startTwilioFake(
  options: { smsWebhookUrl?: () => string | undefined } = {},
): Promise<TwilioFake> {
  return startTwilioOutbox(options);
}
