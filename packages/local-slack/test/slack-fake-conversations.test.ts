import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { slackError, startFake } from './fake-fixture.js';

describe('slack fake: auth and dispatch', () => {
  it('answers auth.test with the bot identity and rejects missing or wrong tokens', async () => {
    const { fake, client } = await startFake();
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'UBOT00001', bot_id: 'BBOT00001', team_id: 'T00000001' });

    expect(
      await slackError(
        new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }).auth.test(),
      ),
    ).toBe('not_authed');
    expect(
      await slackError(
        new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }).auth.test(),
      ),
    ).toBe('invalid_auth');
  });

  it('reports unknown methods and ignores team_id', async () => {
    const { client } = await startFake();
    expect(await slackError(client.apiCall('conversations.explode'))).toBe('unknown_method');
    const created = await client.conversations.create({ name: 'with-team', team_id: 'T999' });
    expect(created.channel?.name).toBe('with-team');
  });

  it('accepts JSON bodies as well as forms', async () => {
    const { fake } = await startFake();
    const response = await fetch(`${fake.apiUrl}conversations.create`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fake.config.botToken}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ name: 'from-json', is_private: true }),
    });
    const body = (await response.json()) as { ok: boolean; channel: { is_private: boolean } };
    expect(body.ok).toBe(true);
    expect(body.channel.is_private).toBe(true);
  });
});

describe('slack fake: conversations.create', () => {
  it('applies Slack naming rules', async () => {
    const { client } = await startFake();
    expect(await slackError(client.conversations.create({ name: 'Inc-1' }))).toBe('invalid_name_specials');
    expect(await slackError(client.conversations.create({ name: 'inc 1' }))).toBe('invalid_name_specials');
    expect(await slackError(client.conversations.create({ name: '' }))).toBe('invalid_name_required');
    expect(await slackError(client.conversations.create({ name: 'x'.repeat(81) }))).toBe(
      'invalid_name_maxlength',
    );
    expect(await slackError(client.conversations.create({ name: '-_-' }))).toBe('invalid_name_punctuation');
  });

  it('creates a channel the bot is in, with a real-looking id, and refuses taken names even when archived', async () => {
    const { fake, client } = await startFake();
    const created = await client.conversations.create({ name: 'inc-1-db-down' });
    const channel = created.channel!;
    expect(channel.id).toMatch(/^C[0-9A-Z]{10}$/);
    expect(channel).toMatchObject({
      name: 'inc-1-db-down',
      is_channel: true,
      is_private: false,
      is_member: true,
      creator: 'UBOT00001',
    });
    expect(fake.members(channel.id!)).toEqual(['UBOT00001']);

    expect(await slackError(client.conversations.create({ name: 'inc-1-db-down' }))).toBe('name_taken');
    await client.conversations.archive({ channel: channel.id! });
    expect(await slackError(client.conversations.create({ name: 'inc-1-db-down' }))).toBe('name_taken');
    expect(await slackError(client.conversations.create({ name: 'general' }))).toBe('name_taken');
  });

  it('lists private channels only to members and paginates with a cursor', async () => {
    const { fake, client } = await startFake();
    for (const name of ['a1', 'a2', 'a3']) await client.conversations.create({ name });
    await client.conversations.create({ name: 'secret-mine', is_private: true });
    fake.addChannel({ name: 'secret-other', isPrivate: true });

    const publicOnly = await client.conversations.list({ limit: 2 });
    expect(publicOnly.channels?.map((c) => c.name)).toEqual(['general', 'a1']);
    const cursor = publicOnly.response_metadata?.next_cursor;
    expect(cursor).toBeTruthy();
    const page2 = await client.conversations.list({ limit: 2, cursor });
    expect(page2.channels?.map((c) => c.name)).toEqual(['a2', 'a3']);
    expect(page2.response_metadata?.next_cursor).toBe('');

    const all = await client.conversations.list({ types: 'public_channel,private_channel' });
    const names = all.channels?.map((c) => c.name);
    expect(names).toContain('secret-mine');
    expect(names).not.toContain('secret-other');

    await client.conversations.archive({ channel: fake.getChannel('a1')!.id });
    const live = await client.conversations.list({ exclude_archived: true });
    expect(live.channels?.map((c) => c.name)).not.toContain('a1');
  });

  it('hides private channels the bot is not in from conversations.info', async () => {
    const { fake, client } = await startFake();
    const hidden = fake.addChannel({ name: 'hidden', isPrivate: true });
    expect(await slackError(client.conversations.info({ channel: hidden.id }))).toBe('channel_not_found');
    expect(await slackError(client.conversations.info({ channel: 'CNOPE000000' }))).toBe('channel_not_found');
  });
});

describe('slack fake: membership and channel settings', () => {
  it('invites people and reports each invite error code', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice', email: 'alice@acme.test' });
    const bob = fake.addUser({ name: 'bob' });
    const channel = (await client.conversations.create({ name: 'inc-2' })).channel!.id!;

    await client.conversations.invite({ channel, users: `${alice.id},${bob.id}` });
    expect(fake.members(channel)).toEqual(['UBOT00001', alice.id, bob.id]);

    expect(await slackError(client.conversations.invite({ channel, users: alice.id }))).toBe(
      'already_in_channel',
    );
    expect(await slackError(client.conversations.invite({ channel, users: 'UBOT00001' }))).toBe(
      'cant_invite_self',
    );
    expect(await slackError(client.conversations.invite({ channel, users: 'UNOBODY0001' }))).toBe(
      'user_not_found',
    );

    const notMine = fake.addChannel({ name: 'not-mine', members: [alice.id] });
    expect(await slackError(client.conversations.invite({ channel: notMine.id, users: bob.id }))).toBe(
      'not_in_channel',
    );

    await client.conversations.archive({ channel });
    expect(
      await slackError(client.conversations.invite({ channel, users: fake.addUser({ name: 'carol' }).id })),
    ).toBe('is_archived');
  });

  it('fails a mixed invite as a whole unless force is set', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const channel = (await client.conversations.create({ name: 'inc-3' })).channel!.id!;
    expect(await slackError(client.conversations.invite({ channel, users: `${alice.id},UNOBODY0001` }))).toBe(
      'user_not_found',
    );
    expect(fake.members(channel)).not.toContain(alice.id);

    const forced = await client.conversations.invite({
      channel,
      users: `${alice.id},UNOBODY0001`,
      force: true,
    });
    expect(forced.errors).toEqual([{ user: 'UNOBODY0001', ok: false, error: 'user_not_found' }]);
    expect(fake.members(channel)).toContain(alice.id);
  });

  it('sets topic and purpose up to 250 characters, renames, archives and unarchives', async () => {
    const { fake, client } = await startFake();
    const channel = (await client.conversations.create({ name: 'inc-4' })).channel!.id!;
    await client.conversations.setTopic({ channel, topic: 'SEV2 · investigating' });
    await client.conversations.setPurpose({ channel, purpose: 'Checkout errors' });
    expect(await slackError(client.conversations.setTopic({ channel, topic: 'x'.repeat(251) }))).toBe(
      'too_long',
    );
    const info = await client.conversations.info({ channel });
    expect(info.channel?.topic?.value).toBe('SEV2 · investigating');
    expect(info.channel?.purpose?.value).toBe('Checkout errors');

    await client.conversations.rename({ channel, name: 'inc-4-checkout' });
    expect(fake.getChannel(channel)).toMatchObject({ name: 'inc-4-checkout', previous_names: ['inc-4'] });
    expect(await slackError(client.conversations.rename({ channel, name: 'general' }))).toBe('name_taken');

    await client.conversations.archive({ channel });
    expect(await slackError(client.conversations.archive({ channel }))).toBe('already_archived');
    expect(await slackError(client.conversations.setTopic({ channel, topic: 'late' }))).toBe('is_archived');
    await client.conversations.unarchive({ channel });
    expect(fake.getChannel(channel)?.is_archived).toBe(false);
  });

  it('joins public channels and opens one DM per user', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const announce = fake.addChannel({ name: 'incidents', members: [alice.id] });
    await client.conversations.join({ channel: announce.id });
    expect(fake.members(announce.id)).toContain('UBOT00001');

    const first = await client.conversations.open({ users: alice.id });
    const second = await client.conversations.open({ users: alice.id });
    expect(first.channel?.id).toMatch(/^D[0-9A-Z]{10}$/);
    expect(second.channel?.id).toBe(first.channel?.id);
    expect(fake.dmChannelId(alice.id)).toBe(first.channel?.id);
  });

  it('looks users up by email with the plural error code', async () => {
    const { fake, client } = await startFake();
    fake.addUser({ name: 'alice', realName: 'Alice Smith', email: 'Alice@Acme.test', tz: 'Europe/London' });
    const found = await client.users.lookupByEmail({ email: 'alice@acme.test' });
    expect(found.user).toMatchObject({ name: 'alice', real_name: 'Alice Smith', tz: 'Europe/London' });
    expect(found.user?.profile).toMatchObject({
      email: 'Alice@Acme.test',
      real_name: 'Alice Smith',
      display_name: 'alice',
    });
    expect([0, 3600]).toContain(found.user?.tz_offset);
    expect(await slackError(client.users.lookupByEmail({ email: 'nobody@acme.test' }))).toBe(
      'users_not_found',
    );
    expect(await slackError(client.users.info({ user: 'UNOBODY0001' }))).toBe('user_not_found');
  });
});
