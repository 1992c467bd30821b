import { describe, expect, it } from 'vitest';
import { BLOCK_LIMITS, blockLimitProblems } from '../src/slack-fake/block-limits.js';
import { slackError, startFake } from './fake-fixture.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (extra: Record<string, unknown>) => ({
  type: 'actions',
  elements: [{ type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'Go' }, ...extra }],
});

async function channelAndClient() {
  const started = await startFake();
  const channel = (await started.client.conversations.create({ name: 'inc-1' })).channel!.id!;
  return { ...started, channel };
}

describe('slack fake: Block Kit limits', () => {
  it('refuses a message whose section text passes 3,000 characters, as Slack does, and stores nothing', async () => {
    const { fake, client, channel } = await channelAndClient();
    const posted = client.chat.postMessage({ channel, text: 'x', blocks: [section('a'.repeat(3001))] });
    expect(await slackError(posted)).toBe('invalid_blocks');
    expect(fake.messages(channel)).toEqual([]);
    await client.chat.postMessage({ channel, text: 'x', blocks: [section('a'.repeat(3000))] });
    expect(fake.messages(channel)).toHaveLength(1);
  });

  it('refuses a message text over 40,000 characters with msg_too_long', async () => {
    const { client, channel } = await channelAndClient();
    expect(await slackError(client.chat.postMessage({ channel, text: 't'.repeat(40_001) }))).toBe(
      'msg_too_long',
    );
    await client.chat.postMessage({ channel, text: 't'.repeat(40_000) });
  });

  it('says which field broke which limit, in Slack’s words', async () => {
    const { client, channel } = await channelAndClient();
    try {
      await client.chat.postMessage({
        channel,
        text: 'x',
        blocks: [section('ok'), section('a'.repeat(3001))],
      });
      expect.unreachable();
    } catch (error) {
      const data = (error as { data: { response_metadata: { messages: string[] } } }).data;
      expect(data.response_metadata.messages).toEqual([
        '[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]',
      ]);
    }
  });

  it('refuses an edit that breaks a limit and keeps the message as it was', async () => {
    const { fake, client, channel } = await channelAndClient();
    const { ts } = await client.chat.postMessage({ channel, text: 'x', blocks: [section('first')] });
    const update = client.chat.update({ channel, ts: ts!, text: 'x', blocks: [section('b'.repeat(3001))] });
    expect(await slackError(update)).toBe('invalid_blocks');
    expect(JSON.stringify(fake.messages(channel)[0]?.blocks)).toContain('first');
  });

  it.each([
    ['a header over 150 characters', { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
    ['a mrkdwn header', { type: 'header', text: { type: 'mrkdwn', text: 'Title' } }],
    ['an empty section text', section('')],
    [
      'a field over 2,000 characters',
      { type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] },
    ],
    [
      'more than 10 fields',
      { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
    ],
    ['a button value over 2,000 characters', button({ value: 'v'.repeat(2001) })],
    ['a button label over 75 characters', button({ text: { type: 'plain_text', text: 'l'.repeat(76) } })],
    [
      'a confirmation text over 300 characters',
      button({
        confirm: {
          title: { type: 'plain_text', text: 'Sure?' },
          text: { type: 'plain_text', text: 't'.repeat(301) },
          confirm: { type: 'plain_text', text: 'Yes' },
          deny: { type: 'plain_text', text: 'No' },
        },
      }),
    ],
    [
      'more than 10 context elements',
      { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
    ],
    ['a block_id over 255 characters', { ...section('s'), block_id: 'i'.repeat(256) }],
  ])('refuses %s', async (_, block) => {
    const { client, channel } = await channelAndClient();
    expect(await slackError(client.chat.postMessage({ channel, text: 'x', blocks: [block] }))).toBe(
      'invalid_blocks',
    );
  });

  it('holds 50 blocks in a message and 100 in an App Home', async () => {
    const { fake, client, channel } = await channelAndClient();
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => section(`line ${i}`));
    await client.chat.postMessage({ channel, text: 'x', blocks: blocks(50) });
    expect(await slackError(client.chat.postMessage({ channel, text: 'x', blocks: blocks(51) }))).toBe(
      'invalid_blocks',
    );
    const alice = fake.addUser({ name: 'alice' });
    await client.views.publish({ user_id: alice.id, view: { type: 'home', blocks: blocks(100) } });
    // views.* answer invalid_arguments for bad blocks, as Slack does.
    expect(
      await slackError(
        client.views.publish({ user_id: alice.id, view: { type: 'home', blocks: blocks(101) } }),
      ),
    ).toBe('invalid_arguments');
    expect(
      await slackError(
        client.views.publish({
          user_id: alice.id,
          view: { type: 'home', blocks: [section('h'.repeat(3001))] },
        }),
      ),
    ).toBe('invalid_arguments');
  });

  it('checks select options and input labels in modals', () => {
    const select = (options: unknown[]) => [
      {
        type: 'input',
        label: { type: 'plain_text', text: 'Pick' },
        element: { type: 'static_select', action_id: 's', options },
      },
    ];
    const opt = (text: string, value = 'v') => ({ text: { type: 'plain_text', text }, value });
    expect(blockLimitProblems(select([opt('SEV1 · Critical')]), 100)).toEqual([]);
    expect(blockLimitProblems(select([opt('o'.repeat(76))]), 100)).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/element/options/0/text/text]',
    ]);
    expect(blockLimitProblems(select([opt('ok', 'v'.repeat(151))]), 100)).toHaveLength(1);
    expect(blockLimitProblems(select(Array.from({ length: 101 }, () => opt('o'))), 100)).toHaveLength(1);
  });

  it('counts UTF-16 units, never fewer than Slack’s characters', () => {
    expect(blockLimitProblems([section('🔥'.repeat(1500))], 50)).toEqual([]);
    expect(blockLimitProblems([section(`${'🔥'.repeat(1500)}a`)], 50)).toHaveLength(1);
    expect(BLOCK_LIMITS.sectionText).toBe(3000);
  });
});
