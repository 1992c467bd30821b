import type { NotifyProviders } from '../config.js';
import type { Channel } from '../escalation/people.js';

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
