import { describe, expect, it } from 'vitest';
import { slackError, startFake } from './fake-fixture.js';

describe('user groups (usergroups.*)', () => {
  it('creates a group by name and handle, sets its members, and lists it with or without them', async () => {
    const { fake, client } = await startFake();
    const bob = fake.addUser({ name: 'bob' });
    const carol = fake.addUser({ name: 'carol' });
    const created = await client.usergroups.create({ name: 'checkout-oncall', handle: 'checkout-oncall' });
    expect(created.usergroup).toMatchObject({
      id: expect.stringMatching(/^S[A-Z0-9]{10}$/),
      handle: 'checkout-oncall',
      name: 'checkout-oncall',
      is_usergroup: true,
      date_delete: 0,
      users: [],
      user_count: 0,
    });
    const id = created.usergroup!.id!;
    const updated = await client.usergroups.users.update({ usergroup: id, users: `${bob.id},${carol.id}` });
    expect(updated.usergroup).toMatchObject({ id, users: [bob.id, carol.id], user_count: 2 });
    expect((await client.usergroups.users.list({ usergroup: id })).users).toEqual([bob.id, carol.id]);

    const plain = await client.usergroups.list({});
    expect(plain.usergroups).toHaveLength(1);
    expect(plain.usergroups![0]).not.toHaveProperty('users');
    const full = await client.usergroups.list({ include_users: true });
    expect(full.usergroups![0]).toMatchObject({ handle: 'checkout-oncall', users: [bob.id, carol.id] });
    expect(fake.usergroups()).toMatchObject([{ id, users: [bob.id, carol.id] }]);
  });

  it("answers Slack's errors: taken names and handles, unknown groups, empty or unknown users", async () => {
    const { fake, client } = await startFake();
    const bob = fake.addUser({ name: 'bob' });
    const { usergroup } = await client.usergroups.create({ name: 'Checkout', handle: 'checkout-oncall' });
    expect(await slackError(client.usergroups.create({ name: 'checkout', handle: 'other' }))).toBe(
      'name_already_exists',
    );
    expect(await slackError(client.usergroups.create({ name: 'Other', handle: 'checkout-oncall' }))).toBe(
      'handle_already_exists',
    );
    // A handle must not be a person's name either: it would make @bob ambiguous.
    expect(await slackError(client.usergroups.create({ name: 'Bobs', handle: 'bob' }))).toBe(
      'handle_already_exists',
    );
    expect(await slackError(client.usergroups.users.update({ usergroup: 'S0NOPE', users: bob.id }))).toBe(
      'no_such_subteam',
    );
    expect(await slackError(client.usergroups.users.update({ usergroup: usergroup!.id!, users: '' }))).toBe(
      'invalid_users',
    );
    expect(
      await slackError(client.usergroups.users.update({ usergroup: usergroup!.id!, users: 'U0NOBODY' })),
    ).toBe('invalid_users');
    expect(fake.usergroups()[0]!.users).toEqual([]);
  });

  it('a workspace whose plan has no user groups answers every method paid_teams_only', async () => {
    const { fake, client } = await startFake();
    fake.setPlan({ usergroups: false });
    expect(await slackError(client.usergroups.list({}))).toBe('paid_teams_only');
    expect(await slackError(client.usergroups.create({ name: 'checkout-oncall' }))).toBe('paid_teams_only');
    expect(fake.usergroups()).toEqual([]);
    fake.setPlan({ usergroups: true });
    await expect(client.usergroups.list({})).resolves.toMatchObject({ ok: true, usergroups: [] });
  });

  it('keeps groups across an export and import (the sandbox restarts with them)', async () => {
    const { fake, client } = await startFake();
    const bob = fake.addUser({ name: 'bob' });
    const { usergroup } = await client.usergroups.create({ name: 'checkout-oncall' });
    await client.usergroups.users.update({ usergroup: usergroup!.id!, users: bob.id });
    const saved = fake.exportState();
    fake.reset();
    expect(fake.usergroups()).toEqual([]);
    fake.importState(saved);
    expect(fake.usergroups()).toMatchObject([{ handle: 'checkout-oncall', users: [bob.id] }]);
  });
});
