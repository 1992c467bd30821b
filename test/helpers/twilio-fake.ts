import { startTwilioOutbox, type TwilioOutbox } from '@incident-bot/local-slack';
import { twilioSignature } from '../../src/notify/twilio-signature.js';

export type { SentByTwilio } from '@incident-bot/local-slack';

export interface TwilioFake extends TwilioOutbox {
  /** Posts a signed inbound webhook (an SMS reply, a pressed digit) to `url`, as Twilio does. */
  postSigned(url: string, fields: Record<string, string>, token?: string): Promise<Response>;
}

/**
 * A local Twilio REST API (the local Slack package's fake: the Messages.json and Calls.json shapes and
 * error codes the bot uses), plus Twilio's signed webhooks back to the bot, signed by the bot's rule.
 */
export async function startTwilioFake(): Promise<TwilioFake> {
  const fake = await startTwilioOutbox();
  return Object.assign(fake, {
    postSigned: (url: string, fields: Record<string, string>, token = fake.authToken) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(token, url, fields),
        },
        body: new URLSearchParams(fields),
      }),
  });
}
