import type { NotifyProviders } from '../config.js';
import type { ChannelSender } from '../escalation/delivery-port.js';
import type { Channel } from '../escalation/people.js';
import { createEmailSender } from './email-sender.js';
import { createPushSender } from './push-sender.js';
import { createTwilioSenders } from './twilio-sender.js';

/** The channels the environment can deliver: Slack always, the rest when their provider is set. */
export function configuredChannels(providers: NotifyProviders): ReadonlySet<Channel> {
  const channels = new Set<Channel>(['slack']);
  if (providers.email) channels.add('email');
  if (providers.twilio) {
    channels.add('sms');
    channels.add('voice');
  }
  if (providers.push) channels.add('push');
  return channels;
}

export type ChannelSenders = Partial<Record<Exclude<Channel, 'slack'>, ChannelSender>>;

/**
 * One adapter per configured provider. `baseUrl` is PUBLIC_URL or where the bot listens (Twilio's
 * call-status callback points there); `emailTls` is for tests against a self-signed SMTP server.
 */
export function createChannelSenders(
  providers: NotifyProviders,
  baseUrl: () => string,
  options: { emailTls?: { rejectUnauthorized: boolean } } = {},
): ChannelSenders {
  const twilio = providers.twilio ? createTwilioSenders(providers.twilio, baseUrl) : null;
  return {
    ...(providers.email
      ? { email: createEmailSender(providers.email, options.emailTls ? { tls: options.emailTls } : {}) }
      : {}),
    ...(twilio ? { sms: twilio.sms, voice: twilio.voice } : {}),
    ...(providers.push ? { push: createPushSender(providers.push.url) } : {}),
  };
}
