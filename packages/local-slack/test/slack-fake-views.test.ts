import { describe, expect, it } from 'vitest';
import { slackError, startFake } from './fake-fixture.js';

const modal = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id: 'incident-declare',
  title: { type: 'plain_text' as const, text: title },
  submit: { type: 'plain_text' as const, text: 'Declare' },
  private_metadata: '{"channel":"C1"}',
  blocks: [
    {
      type: 'input',
      block_id: 'title',
      label: { type: 'plain_text', text: 'Title' },
      element: { type: 'plain_text_input', action_id: 'title-input' },
    },
  ],
  ...extra,
});

describe('slack fake: modals', () => {
  it('opens a modal with a single-use trigger id and returns the full view', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const triggerId = fake.issueTriggerId(alice.id);
    const opened = await client.views.open({ trigger_id: triggerId, view: modal('Declare') });
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'incident-declare',
      private_metadata: '{"channel":"C1"}',
      state: { values: {} },
      root_view_id: opened.view?.id,
      previous_view_id: null,
      team_id: 'T00000001',
    });
    expect(opened.view?.id).toMatch(/^V[0-9A-Z]{10}$/);
    expect(opened.view?.hash).toEqual(expect.any(String));
    expect(fake.openViews(alice.id).map((v) => v.view.id)).toEqual([opened.view?.id]);

    expect(await slackError(client.views.open({ trigger_id: triggerId, view: modal('Again') }))).toBe(
      'exchanged_trigger_id',
    );
    expect(await slackError(client.views.open({ trigger_id: '123.456.abc', view: modal('Nope') }))).toBe(
      'invalid_trigger_id',
    );
  });

  it('expires trigger ids after the TTL', async () => {
    let now = 1_750_000_000_000;
    const { fake, client } = await startFake({ clock: () => now });
    const triggerId = fake.issueTriggerId('UBOT00001');
    now += 3001;
    expect(await slackError(client.views.open({ trigger_id: triggerId, view: modal('Late') }))).toBe(
      'expired_trigger_id',
    );
    const fresh = fake.issueTriggerId('UBOT00001');
    now += 2999;
    expect((await client.views.open({ trigger_id: fresh, view: modal('In time') })).ok).toBe(true);
  });

  it('rejects invalid views without spending the trigger', async () => {
    const { fake, client } = await startFake();
    const triggerId = fake.issueTriggerId();
    const noSubmit = { ...modal('x'), submit: undefined };
    expect(await slackError(client.views.open({ trigger_id: triggerId, view: noSubmit }))).toBe(
      'invalid_arguments',
    );
    expect((await client.views.open({ trigger_id: triggerId, view: modal('ok') })).ok).toBe(true);
  });

  it('pushes up to three views and then refuses', async () => {
    const { fake, client } = await startFake();
    const root = await client.views.open({
      trigger_id: fake.issueTriggerId('UBOT00001'),
      view: modal('one'),
    });
    const second = await client.views.push({
      trigger_id: fake.issueTriggerId('UBOT00001'),
      view: modal('two'),
    });
    expect(second.view).toMatchObject({ root_view_id: root.view?.id, previous_view_id: root.view?.id });
    await client.views.push({ trigger_id: fake.issueTriggerId('UBOT00001'), view: modal('three') });
    expect(
      await slackError(
        client.views.push({ trigger_id: fake.issueTriggerId('UBOT00001'), view: modal('four') }),
      ),
    ).toBe('push_limit_reached');
    expect(fake.openViews('UBOT00001')).toHaveLength(3);
  });

  it('updates by view id or external id, refusing a stale hash', async () => {
    const { fake, client } = await startFake();
    const opened = await client.views.open({
      trigger_id: fake.issueTriggerId(),
      view: modal('v1', { external_id: 'declare-1' }),
    });
    const viewId = opened.view!.id!;
    const staleHash = opened.view!.hash!;
    const updated = await client.views.update({
      view_id: viewId,
      hash: staleHash,
      view: modal('v2', { external_id: 'declare-1' }),
    });
    expect(updated.view?.id).toBe(viewId);
    expect(updated.view?.hash).not.toBe(staleHash);
    expect(fake.getView(viewId)?.view.title?.text).toBe('v2');

    expect(
      await slackError(client.views.update({ view_id: viewId, hash: staleHash, view: modal('v3') })),
    ).toBe('hash_conflict');
    expect(fake.getView(viewId)?.view.title?.text).toBe('v2');
    expect(await slackError(client.views.update({ view_id: 'VNOPE000000', view: modal('x') }))).toBe(
      'not_found',
    );

    await client.views.update({ external_id: 'declare-1', view: modal('v4', { external_id: 'declare-1' }) });
    expect(fake.getView(viewId)?.view.title?.text).toBe('v4');
  });

  it('publishes one App Home per user', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const home = {
      type: 'home' as const,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No incidents' } }],
    };
    const first = await client.views.publish({ user_id: alice.id, view: home });
    const second = await client.views.publish({ user_id: alice.id, view: home, hash: first.view!.hash! });
    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.homeView(alice.id)?.view.id).toBe(first.view?.id);
    expect(
      await slackError(client.views.publish({ user_id: alice.id, view: home, hash: first.view!.hash! })),
    ).toBe('hash_conflict');
  });
});
