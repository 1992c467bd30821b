import { blockLimitProblems } from '@incident-bot/local-slack';
import { describe, expect, it } from 'vitest';
import { findPerson, testableChannels, testThrottleWaitMs } from '../../../src/escalation/notify-tests.js';
import type { NotifyTest } from '../../../src/escalation/notify-tests-repo.js';
import type { Channel, Person } from '../../../src/escalation/people.js';
import { ActionId } from '../../../src/slack/ids.js';
import {
  buildNotifyRulesBlocks,
  buildOncallMeMessage,
  maskTarget,
  testCallText,
  testReportText,
  testRequestAnswer,
} from '../../../src/slack/views/notify-rules.js';

const BOB: Person = {
  key: 'bob@acme.test',
  phone: '+15551230001',
  pushTopic: 'bob-pages',
  email: 'bob@acme.test',
  notify: [
    { via: 'slack', afterMs: 0 },
    { via: 'push', afterMs: 60_000 },
    { via: 'sms', afterMs: 180_000 },
    { via: 'voice', afterMs: 300_000 },
  ],
  quietHours: { from: { hour: 22, minute: 0 }, to: { hour: 7, minute: 0 }, only: ['SEV1'] },
};
const ALL: ReadonlySet<Channel> = new Set(['slack', 'push', 'sms', 'voice', 'email']);

const texts = (blocks: unknown[]) => JSON.stringify(blocks);

describe('masked contacts', () => {
  it('keeps the country code and the last four digits of a number, the first letter of an email', () => {
    expect(maskTarget('sms', '+15551230001')).toBe('+1 ••• ••• 0001');
    expect(maskTarget('voice', '+447911123456')).toBe('+44 ••• ••• 3456');
    expect(maskTarget('email', 'bob@acme.test')).toBe('b•••@acme.test');
    expect(maskTarget('email', 'not-an-address')).toBe('•••');
    expect(maskTarget('push', 'bob-pages')).toBe('bo•••');
  });
});

describe('the rules view', () => {
  it('lists each step with its masked contact and delay, quiet hours, and a Send test per testable channel', () => {
    const testable = testableChannels(BOB, new Set<Channel>(['slack', 'sms', 'voice']));
    expect(testable).toEqual(['slack', 'sms', 'voice']);
    const blocks = buildNotifyRulesBlocks({
      person: BOB,
      configured: new Set<Channel>(['slack', 'sms', 'voice']),
      testable,
      viewerId: 'U0BOB',
      nonce: 'n0nce-123',
    });
    const text = texts(blocks);
    expect(text).toContain(
      '1. Slack DM, at once\\n2. push to bo•••, after 1m _(not configured on this bot)_\\n3. SMS to +1 ••• ••• 0001, after 3m\\n4. voice call to +1 ••• ••• 0001, after 5m\\nQuiet hours 22:00–07:00: no SMS or calls except for SEV1.',
    );
    expect(text).toContain('Configured on this bot: Slack DM, SMS, voice call.');
    const buttons = blocks.flatMap((b) => ('accessory' in b && b.accessory ? [b.accessory] : []));
    expect(buttons).toEqual(
      [ActionId.testSlack, ActionId.testSms, ActionId.testVoice].map((action_id) => ({
        type: 'button',
        action_id,
        text: { type: 'plain_text', text: 'Send test' },
        value: 'U0BOB:n0nce-123',
      })),
    );
    expect(blockLimitProblems(blocks, 50)).toEqual([]);
  });

  it('tells someone without an entry that Slack DMs reach them, and how to add rules', () => {
    const message = buildOncallMeMessage({
      person: null,
      configured: ALL,
      testable: [],
      viewerId: 'U0ALICE',
      nonce: 'n0nce-123',
    });
    expect(message.text).toBe('Your notification rules: Slack DM only.');
    expect(texts(message.blocks)).toContain('Slack DM only: you have no entry under `people:`');
    expect(texts(message.blocks)).not.toContain('Send test');
  });

  it('finds a person by Slack id or by their profile email, whatever its case', () => {
    const people = { [BOB.key]: BOB, U0CAROL: { ...BOB, key: 'U0CAROL' } };
    expect(findPerson(people, { id: 'U0BOB', email: 'Bob@ACME.test' })?.key).toBe('bob@acme.test');
    expect(findPerson(people, { id: 'U0CAROL', email: null })?.key).toBe('U0CAROL');
    expect(findPerson(people, { id: 'U0ALICE', email: 'alice@acme.test' })).toBeNull();
  });
});

describe('answers and reports', () => {
  const test = (fields: Partial<NotifyTest>): NotifyTest => ({
    id: 1,
    userId: 'U0BOB',
    person: 'U0BOB',
    channel: 'sms',
    target: '+15551230001',
    status: 'sent',
    receipt: 'SM1',
    error: null,
    requestedAt: new Date(0),
    claimedAt: null,
    reportedAt: null,
    callStatus: null,
    ...fields,
  });

  it('says what happened, escaping what a provider answered', () => {
    expect(testReportText(test({ channel: 'email', target: 'bob@acme.test' }))).toBe(
      ':white_check_mark: Test notification: email sent to b•••@acme.test. Check that it reached you.',
    );
    expect(testReportText(test({ status: 'failed', error: 'invalid number (Twilio 21211)' }))).toBe(
      ':x: Test notification: SMS to +1 ••• ••• 0001 failed: invalid number (Twilio 21211)',
    );
    expect(testReportText(test({ status: 'failed', error: '<!channel> bounced' }))).toContain(
      '&lt;!channel&gt; bounced',
    );
    const call = { channel: 'voice' as const };
    expect(testCallText(test({ ...call, callStatus: 'completed' }))).toBe(
      ':white_check_mark: Test call to +1 ••• ••• 0001: answered.',
    );
    expect(testCallText(test({ ...call, callStatus: 'no-answer' }))).toMatch(
      /^:x: Test call to \+1 ••• ••• 0001: call not answered\. /,
    );
    expect(testRequestAnswer({ kind: 'throttled', channel: 'voice', retryInMs: 41_200 })).toBe(
      ':hourglass: Wait 42s before another test voice call: tests go at most once a minute per channel, and at most 3 calls or 5 SMS in 15 minutes.',
    );
  });
});

describe('the test throttle', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('lets one test a minute through per channel', () => {
    expect(testThrottleWaitMs('email', [], now)).toBe(0);
    expect(testThrottleWaitMs('email', [ago(20)], now)).toBe(40_000);
    expect(testThrottleWaitMs('email', [ago(60)], now)).toBe(0);
    expect(testThrottleWaitMs('email', [ago(600), ago(400), ago(200), ago(61)], now)).toBe(0);
  });

  it('keeps calls and texts within the page limits: 3 calls, 5 SMS per 15 minutes', () => {
    expect(testThrottleWaitMs('voice', [ago(600), ago(400), ago(200)], now)).toBe(300_000);
    expect(testThrottleWaitMs('voice', [ago(901), ago(400), ago(200)], now)).toBe(0);
    expect(testThrottleWaitMs('sms', [ago(800), ago(600), ago(400), ago(200)], now)).toBe(0);
    expect(testThrottleWaitMs('sms', [ago(800), ago(600), ago(400), ago(200), ago(100)], now)).toBe(100_000);
  });
});
