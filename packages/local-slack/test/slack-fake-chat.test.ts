import { describe, expect, it } from 'vitest';
import { slackError, startFake } from './fake-fixture.js';

const headlineBlocks = [
  { type: 'section', block_id: 'headline', text: { type: 'mrkdwn', text: '*SEV2* API latency' } },
  {
    type: 'actions',
    block_id: 'incident-actions',
    elements: [
      { type: 'button', action_id: 'incident-join', text: { type: 'plain_text', text: 'Join' }, value: '12' },
    ],
  },
];

describe('slack fake: chat.postMessage', () => {
  it('stores the message and answers with channel, ts and the message', async () => {
    const { fake, client } = await startFake();
    const channel = (await client.conversations.create({ name: 'inc-1' })).channel!.id!;
    const posted = await client.chat.postMessage({ channel, text: 'SEV2 declared', blocks: headlineBlocks });
    expect(posted.channel).toBe(channel);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message).toMatchObject({ text: 'SEV2 declared', user: 'UBOT00001', bot_id: 'BBOT00001' });
    expect(fake.messages(channel)).toEqual([
      expect.objectContaining({ ts: posted.ts, blocks: headlineBlocks }),
    ]);
  });

  it('gives blocks without ids the block_id and action_id Slack would assign', async () => {
    const { fake, client } = await startFake();
    const posted = await client.chat.postMessage({
      channel: 'general',
      text: 'x',
      blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Go' } }] }],
    });
    const block = fake.getMessage('general', posted.ts!)?.blocks?.[0];
    expect(block?.block_id).toEqual(expect.any(String));
    expect(block?.elements).toEqual([expect.objectContaining({ action_id: expect.any(String) })]);
  });

  it('keeps ts strictly increasing even when the clock stands still', async () => {
    const { client } = await startFake({ clock: () => 1_750_000_000_000 });
    const a = await client.chat.postMessage({ channel: 'general', text: 'a' });
    const b = await client.chat.postMessage({ channel: 'general', text: 'b' });
    expect(a.ts).toBe('1750000000.000000');
    expect(b.ts).toBe('1750000000.000001');
  });

  it('reports the posting errors Slack gives', async () => {
    const { fake, client } = await startFake();
    expect(await slackError(client.chat.postMessage({ channel: 'general', text: '' }))).toBe('no_text');
    expect(await slackError(client.chat.postMessage({ channel: 'CNOPE000000', text: 'x' }))).toBe(
      'channel_not_found',
    );
    const secret = fake.addChannel({ name: 'secret', isPrivate: true });
    expect(await slackError(client.chat.postMessage({ channel: secret.id, text: 'x' }))).toBe(
      'not_in_channel',
    );
    expect(
      await slackError(
        client.chat.postMessage({ channel: 'general', text: 'x', blocks: 'not json' as never }),
      ),
    ).toBe('invalid_blocks_format');

    const open = fake.addChannel({ name: 'open-channel' });
    await client.chat.postMessage({ channel: open.id, text: 'public channels need no join' });
    expect(fake.messages(open.id)).toHaveLength(1);

    const archived = (await client.conversations.create({ name: 'old' })).channel!.id!;
    await client.conversations.archive({ channel: archived });
    expect(await slackError(client.chat.postMessage({ channel: archived, text: 'x' }))).toBe('is_archived');
  });

  it('posts to a user id as a DM with that user', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const posted = await client.chat.postMessage({ channel: alice.id, text: 'You are paged' });
    const dm = fake.dmChannelId(alice.id);
    expect(posted.channel).toBe(dm);
    expect(fake.messages(dm!).map((m) => m.text)).toEqual(['You are paged']);
  });

  it('threads replies under the parent with reply stats, and keeps them out of history', async () => {
    const { fake, client } = await startFake();
    const parent = await client.chat.postMessage({ channel: 'general', text: 'headline' });
    await client.chat.postMessage({ channel: 'general', text: 'update 1', thread_ts: parent.ts! });
    const last = await client.chat.postMessage({
      channel: 'general',
      text: 'update 2',
      thread_ts: parent.ts!,
    });

    const stored = fake.getMessage('general', parent.ts!);
    expect(stored).toMatchObject({
      reply_count: 2,
      latest_reply: last.ts,
      reply_users: ['UBOT00001'],
      thread_ts: parent.ts,
    });
    expect(fake.replies('general', parent.ts!).map((m) => m.text)).toEqual(['update 1', 'update 2']);

    const history = await client.conversations.history({ channel: fake.getChannel('general')!.id });
    expect(history.messages?.map((m) => m.text)).toEqual(['headline']);
    const thread = await client.conversations.replies({
      channel: fake.getChannel('general')!.id,
      ts: parent.ts!,
    });
    expect(thread.messages?.map((m) => m.text)).toEqual(['headline', 'update 1', 'update 2']);
  });

  it('returns history newest first with limit and cursor, and metadata only when asked', async () => {
    const { fake, client } = await startFake();
    const channel = fake.getChannel('general')!.id;
    for (const text of ['one', 'two', 'three']) {
      await client.chat.postMessage({
        channel,
        text,
        metadata: { event_type: 'incident_headline', event_payload: { n: 1 } },
      });
    }
    const first = await client.conversations.history({ channel, limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['three', 'two']);
    expect(first.has_more).toBe(true);
    expect(first.messages?.[0]?.metadata).toBeUndefined();
    const rest = await client.conversations.history({
      channel,
      limit: 2,
      cursor: first.response_metadata?.next_cursor,
    });
    expect(rest.messages?.map((m) => m.text)).toEqual(['one']);
    const withMetadata = await client.conversations.history({ channel, include_all_metadata: true });
    expect(withMetadata.messages?.[0]?.metadata).toEqual({
      event_type: 'incident_headline',
      event_payload: { n: 1 },
    });
  });

  it('makes history need membership', async () => {
    const { fake, client } = await startFake();
    const open = fake.addChannel({ name: 'elsewhere' });
    expect(await slackError(client.conversations.history({ channel: open.id }))).toBe('not_in_channel');
  });
});

describe('slack fake: editing messages', () => {
  it('updates the bot message in place, keeping blocks the call leaves out', async () => {
    const { fake, client } = await startFake();
    const posted = await client.chat.postMessage({ channel: 'general', text: 'v1', blocks: headlineBlocks });
    const updated = await client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'v2' });
    expect(updated).toMatchObject({ ok: true, channel: posted.channel, ts: posted.ts, text: 'v2' });
    const stored = fake.getMessage('general', posted.ts!);
    expect(stored?.text).toBe('v2');
    expect(stored?.blocks).toEqual(headlineBlocks);
    expect(stored?.edited?.user).toBe('UBOT00001');

    expect(
      await slackError(client.chat.update({ channel: posted.channel!, ts: '1.000001', text: 'x' })),
    ).toBe('message_not_found');
    const alice = fake.addUser({ name: 'alice' });
    const human = fake.postAsUser({ userId: alice.id, channelId: 'general', text: 'mine' });
    expect(await slackError(client.chat.update({ channel: posted.channel!, ts: human.ts, text: 'x' }))).toBe(
      'cant_update_message',
    );
  });

  it('deletes messages and a parent with replies becomes a tombstone', async () => {
    const { fake, client } = await startFake();
    const plain = await client.chat.postMessage({ channel: 'general', text: 'oops' });
    await client.chat.delete({ channel: plain.channel!, ts: plain.ts! });
    expect(fake.getMessage('general', plain.ts!)).toBeUndefined();

    const parent = await client.chat.postMessage({ channel: 'general', text: 'parent' });
    await client.chat.postMessage({ channel: 'general', text: 'reply', thread_ts: parent.ts! });
    await client.chat.delete({ channel: parent.channel!, ts: parent.ts! });
    expect(fake.getMessage('general', parent.ts!)).toMatchObject({ subtype: 'tombstone', reply_count: 1 });
  });

  it('pins once, lists pins, and unpins', async () => {
    const { fake, client } = await startFake();
    const channel = (await client.conversations.create({ name: 'inc-5' })).channel!.id!;
    const posted = await client.chat.postMessage({ channel, text: 'headline' });
    await client.pins.add({ channel, timestamp: posted.ts! });
    expect(await slackError(client.pins.add({ channel, timestamp: posted.ts! }))).toBe('already_pinned');
    expect(await slackError(client.pins.add({ channel, timestamp: '1.000001' }))).toBe('message_not_found');
    expect(fake.pins(channel).map((p) => p.ts)).toEqual([posted.ts]);
    const listed = await client.pins.list({ channel });
    expect(listed.items?.[0]?.message?.text).toBe('headline');

    const elsewhere = fake.addChannel({ name: 'elsewhere' });
    const otherMessage = fake.postAsUser({ userId: 'UBOT00001', channelId: 'general', text: 'x' });
    expect(await slackError(client.pins.add({ channel: elsewhere.id, timestamp: otherMessage.ts }))).toBe(
      'not_in_channel',
    );

    await client.pins.remove({ channel, timestamp: posted.ts! });
    expect(fake.pins(channel)).toEqual([]);
    expect(await slackError(client.pins.remove({ channel, timestamp: posted.ts! }))).toBe('no_pin');
  });

  it('adds bookmarks and reactions', async () => {
    const { fake, client } = await startFake();
    const channel = (await client.conversations.create({ name: 'inc-6' })).channel!.id!;
    const added = await client.bookmarks.add({
      channel_id: channel,
      title: 'Runbook',
      type: 'link',
      link: 'https://wiki.example/rb',
    });
    expect(added.bookmark).toMatchObject({
      title: 'Runbook',
      link: 'https://wiki.example/rb',
      channel_id: channel,
    });
    expect((await client.bookmarks.list({ channel_id: channel })).bookmarks).toHaveLength(1);
    expect(fake.bookmarks(channel).map((b) => b.title)).toEqual(['Runbook']);
    expect(
      await slackError(client.bookmarks.add({ channel_id: channel, title: 'x', type: 'link', link: 'nope' })),
    ).toBe('invalid_link');

    const posted = await client.chat.postMessage({ channel, text: 'resolved' });
    await client.reactions.add({ channel, timestamp: posted.ts!, name: 'white_check_mark' });
    expect(
      await slackError(client.reactions.add({ channel, timestamp: posted.ts!, name: 'white_check_mark' })),
    ).toBe('already_reacted');
    expect(fake.getMessage(channel, posted.ts!)?.reactions).toEqual([
      { name: 'white_check_mark', users: ['UBOT00001'], count: 1 },
    ]);
    await client.reactions.remove({ channel, timestamp: posted.ts!, name: 'white_check_mark' });
    expect(fake.getMessage(channel, posted.ts!)?.reactions).toBeUndefined();
  });

  it('keeps ephemerals apart from history, only for members, and gives permalinks', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const channel = (await client.conversations.create({ name: 'inc-7' })).channel!.id!;
    expect(await slackError(client.chat.postEphemeral({ channel, user: alice.id, text: 'hi' }))).toBe(
      'user_not_in_channel',
    );
    await client.conversations.invite({ channel, users: alice.id });
    const sent = await client.chat.postEphemeral({ channel, user: alice.id, text: 'Only you can see this' });
    expect(sent.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.ephemerals(channel)).toEqual([
      expect.objectContaining({ user: alice.id, text: 'Only you can see this', message_ts: sent.message_ts }),
    ]);
    expect(fake.messages(channel)).toEqual([]);

    const posted = await client.chat.postMessage({ channel, text: 'x' });
    const link = await client.chat.getPermalink({ channel, message_ts: posted.ts! });
    expect(link.permalink).toBe(`${fake.baseUrl}/archives/${channel}/p${posted.ts!.replace('.', '')}`);
  });

  it('emits a change event after each mutation', async () => {
    const { fake, client } = await startFake();
    const changes: unknown[] = [];
    fake.events.on('change', (change) => changes.push(change));
    const posted = await client.chat.postMessage({ channel: 'general', text: 'x' });
    await client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'y' });
    expect(changes).toEqual([
      { type: 'message', channelId: posted.channel, ts: posted.ts },
      { type: 'message_changed', channelId: posted.channel, ts: posted.ts },
    ]);
  });
});
