/**
 * The rules round's outside world, all local and in this process: the Slack Web API fake (page DMs),
 * a real SMTP server, the Twilio REST fake and an ntfy-style push receiver (the test helpers, reused).
 * Every message they take is stamped with the time it arrived, so lateness can be cross-checked
 * against the fakes and a message received twice counted.
 */
import { createSlackFake, type SlackFake } from '@incident-bot/local-slack';
import type { AddressObject } from 'mailparser';
import type { Channel } from '../../src/escalation/people.js';
import { PAGE_EVENT_TYPE } from '../../src/slack/page-sender.js';
import { startPushReceiver } from '../../test/helpers/push-receiver.js';
import { startSmtpFake } from '../../test/helpers/smtp-fake.js';
import { startTwilioFake } from '../../test/helpers/twilio-fake.js';
import type { Cleanups } from './phase-meter.js';

/**
 * One message a fake took: `key` names whom it reached: the phone number, push topic or address,
 * or `page-<id>` for a Slack DM (its metadata names the page).
 */
export interface Arrival {
  channel: Channel;
  key: string;
  at: number;
}

export interface ProviderFakes {
  slack: SlackFake;
  /** The environment that points the bot at the fakes (src/config.ts names). */
  env: Record<string, string>;
  /** Everything received so far (Slack DMs from the fake's call log). */
  arrivals(): Arrival[];
}

const EMAIL_FROM = 'pager@bench.test';
const TWILIO_FROM = '+15550009999';

/** Calls `stamp(item)` for every item pushed onto `list` (the fakes only append). */
function onPush<T>(list: T[], stamp: (item: T) => void): void {
  const push = list.push.bind(list);
  list.push = (...items: T[]) => {
    for (const item of items) stamp(item);
    return push(...items);
  };
}

function firstAddress(to: AddressObject | AddressObject[] | undefined): string {
  const object = Array.isArray(to) ? to[0] : to;
  return object?.value[0]?.address?.toLowerCase() ?? '?';
}

/** The page id a page DM's metadata names, or null for any other message. */
function pageOfDm(metadata: unknown): number | null {
  const parsed = typeof metadata === 'string' ? (JSON.parse(metadata) as unknown) : metadata;
  const { event_type: type, event_payload: payload } = (parsed ?? {}) as {
    event_type?: string;
    event_payload?: { page_id?: number };
  };
  return type === PAGE_EVENT_TYPE && typeof payload?.page_id === 'number' ? payload.page_id : null;
}

export async function startProviderFakes(cleanups: Cleanups, userIds: string[]): Promise<ProviderFakes> {
  const arrivals: Arrival[] = [];
  const slack = createSlackFake();
  await slack.start(0, '127.0.0.1');
  cleanups.push(['Slack fake', () => slack.stop()]);
  for (const id of userIds) slack.addUser({ id, name: id.toLowerCase() });

  const smtp = await startSmtpFake();
  cleanups.push(['SMTP fake', () => smtp.close()]);
  onPush(smtp.received, (item) =>
    arrivals.push({ channel: 'email', key: firstAddress(item.mail.to), at: Date.now() }),
  );
  const twilio = await startTwilioFake();
  cleanups.push(['Twilio fake', () => twilio.close()]);
  onPush(twilio.sent, (item) =>
    arrivals.push({
      channel: item.resource === 'Calls' ? 'voice' : 'sms',
      key: item.fields.To ?? '?',
      at: Date.now(),
    }),
  );
  const push = await startPushReceiver();
  cleanups.push(['push receiver', () => push.close()]);
  onPush(push.received, (item) => arrivals.push({ channel: 'push', key: item.topic, at: Date.now() }));

  return {
    slack,
    env: {
      SLACK_API_URL: slack.apiUrl,
      SMTP_URL: smtp.url,
      EMAIL_FROM,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM,
      TWILIO_API_URL: twilio.url,
      PUSH_URL: push.url,
    },
    arrivals() {
      const dms: Arrival[] = [];
      for (const call of slack.calls('chat.postMessage')) {
        const pageId = call.ok ? pageOfDm(call.args.metadata) : null;
        if (pageId !== null) dms.push({ channel: 'slack', key: `page-${pageId}`, at: call.at });
      }
      return [...dms, ...arrivals];
    },
  };
}
