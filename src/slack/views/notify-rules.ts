import type { KnownBlock } from '@slack/types';
import { CALL_FAILURES } from '../../escalation/call-status.js';
import { formatDuration, formatLocalTime } from '../../escalation/duration.js';
import { type PersonRules, type TestRequestOutcome, targetOf } from '../../escalation/notify-tests.js';
import type { NotifyTest } from '../../escalation/notify-tests-repo.js';
import type { Channel } from '../../escalation/people.js';
import { ActionId } from '../ids.js';
import { mrkdwn, plain } from './escape.js';

const CHANNELS: readonly Channel[] = ['slack', 'push', 'sms', 'voice', 'email'];

/** The Send test button of each channel (one action id each, so Slack and the listener tell them apart). */
export const TEST_ACTION: Record<Channel, string> = {
  slack: ActionId.testSlack,
  email: ActionId.testEmail,
  sms: ActionId.testSms,
  voice: ActionId.testVoice,
  push: ActionId.testPush,
};

export const CHANNEL_LABEL: Record<Channel, string> = {
  slack: 'Slack DM',
  push: 'push',
  sms: 'SMS',
  voice: 'voice call',
  email: 'email',
};

const DOT = '•••';

/** Enough of a contact to recognise it, not enough to read it off a shared screen: "+1 ••• ••• 0001". */
export function maskTarget(channel: Channel, target: string): string {
  if (channel === 'sms' || channel === 'voice') {
    const digits = target.replace(/\D/g, '');
    const country =
      digits.startsWith('1') || digits.startsWith('7') ? digits.slice(0, 1) : digits.slice(0, 2);
    return `+${country} ${DOT} ${DOT} ${digits.slice(-4)}`;
  }
  if (channel === 'email') {
    const at = target.lastIndexOf('@');
    return at <= 0 ? DOT : `${target.slice(0, 1)}${DOT}${target.slice(at)}`;
  }
  if (channel === 'push') return `${target.slice(0, 2)}${DOT}`;
  return 'your DMs';
}

export interface NotifyRulesInput extends PersonRules {
  /** The viewer's Slack id: the only one who may press these buttons. */
  viewerId: string;
  /** Random, per rendering: a double click on one button sends one test. */
  nonce: string;
}

/** "Your notification rules": each step, quiet hours, the providers, and a Send test button per channel. */
export function buildNotifyRulesBlocks(input: NotifyRulesInput): KnownBlock[] {
  const { person } = input;
  const heading: KnownBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: '*Your notification rules*' },
  };
  const providers = CHANNELS.filter((c) => input.configured.has(c))
    .map((c) => CHANNEL_LABEL[c])
    .join(', ');
  const context: KnownBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `Configured on this bot: ${providers}.` }],
  };
  if (!person) {
    return [
      heading,
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Slack DM only: you have no entry under `people:` in `oncall.yaml`. To be called, texted, pushed or emailed when paged, ask your admins to add one, e.g.\n```people:\n  you@example.com:\n    phone: "+15551230001"\n    notify:\n      - { via: slack, after: 0m }\n      - { via: sms, after: 3m }```',
        },
      },
      context,
    ];
  }
  const steps = person.notify.map((rule, index) => {
    const target = targetOf(person, rule.via);
    const where =
      rule.via === 'slack' || target === null ? '' : ` to ${mrkdwn(maskTarget(rule.via, target))}`;
    const off = input.configured.has(rule.via) ? '' : ' _(not configured on this bot)_';
    const after = rule.afterMs === 0 ? 'at once' : `after ${formatDuration(rule.afterMs)}`;
    return `${index + 1}. ${CHANNEL_LABEL[rule.via]}${where}, ${after}${off}`;
  });
  const quiet = person.quietHours;
  const quietLine = quiet
    ? `Quiet hours ${formatLocalTime(quiet.from)}–${formatLocalTime(quiet.to)}: no SMS or calls${quiet.only.length ? ` except for ${quiet.only.join(', ')}` : ''}.`
    : 'No quiet hours.';
  const blocks: KnownBlock[] = [
    heading,
    { type: 'section', text: { type: 'mrkdwn', text: `${steps.join('\n')}\n${quietLine}` } },
  ];
  for (const channel of input.testable) {
    const target = targetOf(person, channel) ?? '';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${CHANNEL_LABEL[channel]}${channel === 'slack' ? '' : ` ${mrkdwn(maskTarget(channel, target))}`}`,
      },
      accessory: {
        type: 'button',
        action_id: TEST_ACTION[channel],
        text: { type: 'plain_text', text: plain('Send test') },
        value: `${input.viewerId}:${input.nonce}`,
      },
    });
  }
  blocks.push(context);
  return blocks;
}

/** The answer to `/incident oncall me`. */
export function buildOncallMeMessage(input: NotifyRulesInput): { text: string; blocks: KnownBlock[] } {
  const text = input.person
    ? `Your notification rules: ${input.person.notify.map((r) => CHANNEL_LABEL[r.via]).join(', then ')}.`
    : 'Your notification rules: Slack DM only.';
  return { text, blocks: buildNotifyRulesBlocks(input) };
}

/** What the clicker is told at once. */
export function testRequestAnswer(outcome: TestRequestOutcome): string {
  switch (outcome.kind) {
    case 'queued':
      return `:outbox_tray: Sending a test ${CHANNEL_LABEL[outcome.channel]}${outcome.channel === 'slack' ? '' : ` to ${mrkdwn(maskTarget(outcome.channel, outcome.target))}`}; I will tell you here in a DM how it went.`;
    case 'already_requested':
      return `That test ${CHANNEL_LABEL[outcome.channel]} is already on its way.`;
    case 'throttled':
      return `:hourglass: Wait ${formatDuration(Math.ceil(outcome.retryInMs / 1000) * 1000)} before another test ${CHANNEL_LABEL[outcome.channel]}: tests go at most once a minute per channel, and at most 3 calls or 5 SMS in 15 minutes.`;
    case 'no_rule':
      return 'There is no such notification rule of yours to test. `/incident oncall me` shows yours.';
  }
}

/** The DM telling the person how their test went; for Slack it is the test itself. */
export function testReportText(test: NotifyTest): string {
  if (test.channel === 'slack')
    return ':bell: Test notification from incident-bot: Slack DMs reach you. Nothing is wrong.';
  const where = mrkdwn(maskTarget(test.channel, test.target));
  const label = CHANNEL_LABEL[test.channel];
  return test.status === 'sent'
    ? `:white_check_mark: Test notification: ${label} sent to ${where}. Check that it reached you.`
    : `:x: Test notification: ${label} to ${where} failed: ${mrkdwn(test.error ?? 'unknown error')}`;
}

/** How a test call ended, once Twilio reported it. */
export function testCallText(test: NotifyTest): string {
  const where = mrkdwn(maskTarget(test.channel, test.target));
  if (test.callStatus === 'completed') return `:white_check_mark: Test call to ${where}: answered.`;
  const failure = CALL_FAILURES[test.callStatus ?? ''] ?? `ended (${mrkdwn(test.callStatus ?? 'unknown')})`;
  return `:x: Test call to ${where}: ${failure}. A page call would have gone the same way; check your phone's settings for unknown callers.`;
}
