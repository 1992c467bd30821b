import type { NotifyProviders } from '../config.js';
import type { ChannelSender } from '../escalation/delivery-port.js';
import type { Channel } from '../escalation/people.js';
import { createEmailSender } from './email-sender.js';
import { createPushSender } from './push-sender.js';
import { createTwilioSenders } from './twilio-sender.js';

export type Senders = Partial<Record<Exclude<Channel, 'slack'>, ChannelSender>>;

/**
 * The channel adapters of the providers the environment configures, and only those (start-up refuses
 * a rule whose provider is missing). `publicUrl` is where Twilio's call asks back for the key pressed.
 */
export function createSenders(
  providers: NotifyProviders,
  publicUrl: string,
  options: { emailTls?: { rejectUnauthorized: boolean } | undefined } = {},
): Senders {
  return {
    ...(providers.email
      ? { email: createEmailSender(providers.email, options.emailTls ? { tls: options.emailTls } : {}) }
      : {}),
    ...(providers.twilio ? createTwilioSenders(providers.twilio, publicUrl) : {}),
    ...(providers.push ? { push: createPushSender(providers.push.url) } : {}),
  };
}
