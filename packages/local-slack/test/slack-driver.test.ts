import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type BlockAction, isValidSlackRequest, LogLevel, type ViewStateValue } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackDriver, type SlackDriver } from '../src/slack-driver.js';
import type { SlackFake } from '../src/slack-fake/index.js';
import { startFake } from './fake-fixture.js';

const SIGNING_SECRET = 'sandbox-signing-secret';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A plain HTTP server that records what the driver sends, answering with an empty 200. */
async function startRecorder() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

/** The real Bolt app over loopback HTTP, its Web API client pointed at the fake. */
async function startBolt(fake: SlackFake, register: (app: App) => void): Promise<SlackDriver> {
  const app = new App({
    signingSecret: SIGNING_SECRET,
    token: fake.config.botToken,
    botId: fake.config.botId,
    botUserId: fake.config.botUserId,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  register(app);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): AddressInfo };
  cleanups.push(() => app.stop());
  return createSlackDriver({
    fake,
    appUrl: `http://127.0.0.1:${server.address().port}/slack/events`,
    signingSecret: SIGNING_SECRET,
  });
}

const option = (value: string, text = value) => ({ text: { type: 'plain_text' as const, text }, value });

const declareModal = {
  type: 'modal' as const,
  callback_id: 'incident-declare',
  private_metadata: '{"origin":"C1"}',
  title: { type: 'plain_text' as const, text: 'Declare incident' },
  submit: { type: 'plain_text' as const, text: 'Declare' },
  blocks: [
    {
      type: 'input',
      block_id: 'title',
      label: { type: 'plain_text', text: 'Title' },
      element: { type: 'plain_text_input', action_id: 'title-input' },
    },
    {
      type: 'input',
      block_id: 'severity',
      label: { type: 'plain_text', text: 'Severity' },
      element: {
        type: 'static_select',
        action_id: 'severity-select',
        options: [
          option('SEV1', 'SEV1 · Critical'),
          option('SEV2', 'SEV2 · High'),
          option('SEV3', 'SEV3 · Medium'),
        ],
        initial_option: option('SEV3', 'SEV3 · Medium'),
      },
    },
    {
      type: 'input',
      block_id: 'commander',
      optional: true,
      label: { type: 'plain_text', text: 'Commander' },
      element: { type: 'users_select', action_id: 'commander-select' },
    },
    {
      type: 'input',
      block_id: 'summary',
      optional: true,
      label: { type: 'plain_text', text: 'Summary' },
      element: { type: 'plain_text_input', action_id: 'summary-input', multiline: true },
    },
    {
      type: 'input',
      block_id: 'visibility',
      optional: true,
      label: { type: 'plain_text', text: 'Visibility' },
      element: {
        type: 'checkboxes',
        action_id: 'private-toggle',
        options: [option('private', 'Private channel')],
      },
    },
    {
      type: 'input',
      block_id: 'services',
      optional: true,
      label: { type: 'plain_text', text: 'Services' },
      element: {
        type: 'multi_static_select',
        action_id: 'services-select',
        options: [option('api'), option('db')],
      },
    },
    {
      type: 'input',
      block_id: 'started',
      optional: true,
      label: { type: 'plain_text', text: 'Started' },
      element: { type: 'datepicker', action_id: 'started-date' },
    },
  ],
};

describe('slack driver: signed requests', () => {
  it('signs a slash command with v0 HMAC and the exact form content type, with every Slack field', async () => {
    const { fake } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const recorder = await startRecorder();
    const driver = createSlackDriver({ fake, appUrl: recorder.url, signingSecret: SIGNING_SECRET });

    const sent = await driver.slashCommand({
      userId: alice.id,
      channelId: 'general',
      text: 'create --severity SEV2 API down',
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toBe('');

    const [request] = recorder.received;
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const verification = {
      body: request!.body,
      headers: {
        'x-slack-signature': String(request?.headers['x-slack-signature']),
        'x-slack-request-timestamp': Number(request?.headers['x-slack-request-timestamp']),
      },
    };
    expect(isValidSlackRequest({ signingSecret: SIGNING_SECRET, ...verification })).toBe(true);
    expect(isValidSlackRequest({ signingSecret: 'another-secret', ...verification })).toBe(false);

    const form = Object.fromEntries(new URLSearchParams(request!.body));
    expect(form).toEqual({
      token: expect.any(String),
      team_id: 'T00000001',
      team_domain: 'sandbox',
      channel_id: fake.getChannel('general')!.id,
      channel_name: 'general',
      user_id: alice.id,
      user_name: 'alice',
      command: '/incident',
      text: 'create --severity SEV2 API down',
      api_app_id: fake.config.appId,
      is_enterprise_install: 'false',
      response_url: sent.responseUrl,
      trigger_id: sent.triggerId,
    });
  });

  it('sends events as JSON envelopes with Slack retry headers', async () => {
    const { fake } = await startFake();
    const recorder = await startRecorder();
    const driver = createSlackDriver({ fake, appUrl: recorder.url, signingSecret: SIGNING_SECRET });
    const sent = await driver.event({
      event: { type: 'app_mention', user: 'U1', text: 'hi', channel: 'C1' },
      eventId: 'Ev0001',
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(sent.eventId).toBe('Ev0001');
    const [request] = recorder.received;
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-slack-retry-num']).toBe('1');
    expect(request?.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(JSON.parse(request!.body)).toMatchObject({
      type: 'event_callback',
      event_id: 'Ev0001',
      team_id: 'T00000001',
      event: { type: 'app_mention', text: 'hi' },
      authorizations: [{ user_id: 'UBOT00001', is_bot: true }],
    });
  });

  it('pins and reacts as a person: stored in the local Slack, delivered only where the bot is a member', async () => {
    const { fake } = await startFake();
    const recorder = await startRecorder();
    const driver = createSlackDriver({ fake, appUrl: recorder.url, signingSecret: SIGNING_SECRET });
    const alice = fake.addUser({ name: 'alice' });
    const general = fake.getChannel('general')!;
    fake.addChannel({ name: 'quiet', members: [alice.id] });
    const quiet = fake.getChannel('quiet')!;
    if (!fake.members(general.id).includes(alice.id)) throw new Error('alice should be in #general');
    const message = fake.postAsUser({ userId: alice.id, channelId: general.id, text: 'DB CPU at 100%' });

    const pinned = await driver.pinMessage({
      userId: alice.id,
      channelId: general.id,
      ts: message.ts,
      pinned: true,
    });
    expect(pinned.response?.status).toBe(200);
    expect(fake.pins(general.id).map((p) => [p.ts, p.created_by])).toEqual([[message.ts, alice.id]]);
    await driver.react({
      userId: alice.id,
      channelId: general.id,
      ts: message.ts,
      name: 'pushpin',
      added: true,
    });
    expect(fake.getMessage(general.id, message.ts)?.reactions).toEqual([
      { name: 'pushpin', users: [alice.id], count: 1 },
    ]);
    await driver.pinMessage({ userId: alice.id, channelId: general.id, ts: message.ts, pinned: false });
    expect(fake.pins(general.id)).toEqual([]);
    const events = recorder.received.map((r) => JSON.parse(r.body).event);
    expect(events.map((e) => e.type)).toEqual(['pin_added', 'reaction_added', 'pin_removed']);
    expect(events[0]).toMatchObject({
      user: alice.id,
      channel_id: general.id,
      item: { type: 'message', channel: general.id, message: { ts: message.ts, text: 'DB CPU at 100%' } },
    });
    expect(events[1]).toMatchObject({ reaction: 'pushpin', item: { channel: general.id, ts: message.ts } });

    // The bot is not in #quiet: Slack keeps the pin but tells the app nothing.
    const inQuiet = fake.postAsUser({ userId: alice.id, channelId: quiet.id, text: 'hush' });
    const silent = await driver.pinMessage({
      userId: alice.id,
      channelId: quiet.id,
      ts: inQuiet.ts,
      pinned: true,
    });
    expect(silent.response).toBeNull();
    expect(fake.pins(quiet.id)).toHaveLength(1);
    expect(recorder.received).toHaveLength(3);
  });

  it('runs a message shortcut with a message_action payload', async () => {
    const { fake } = await startFake();
    const recorder = await startRecorder();
    const driver = createSlackDriver({ fake, appUrl: recorder.url, signingSecret: SIGNING_SECRET });
    const alice = fake.addUser({ name: 'alice' });
    const general = fake.getChannel('general')!;
    const message = fake.postAsUser({ userId: alice.id, channelId: general.id, text: 'Saw 502s' });
    const sent = await driver.messageShortcut({
      userId: alice.id,
      channelId: general.id,
      ts: message.ts,
      callbackId: 'timeline-add',
    });
    const payload = JSON.parse(new URLSearchParams(recorder.received[0]!.body).get('payload')!);
    expect(payload).toMatchObject({
      type: 'message_action',
      callback_id: 'timeline-add',
      trigger_id: sent.triggerId,
      response_url: sent.responseUrl,
      channel: { id: general.id, name: 'general' },
      user: { id: alice.id },
      message_ts: message.ts,
      message: { ts: message.ts, text: 'Saw 502s' },
    });
  });
});

describe('slack driver against a real Bolt app', () => {
  it('delivers a slash command whose trigger opens a modal, and shows the ack body to the user', async () => {
    const { fake } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const driver = await startBolt(fake, (app) => {
      app.command('/incident', async ({ ack, command, client }) => {
        if (command.text === 'help') return ack({ text: 'Usage: /incident create [title]' });
        await ack();
        await client.views.open({ trigger_id: command.trigger_id, view: declareModal });
      });
    });

    const opened = await driver.slashCommand({ userId: alice.id, channelId: 'general', text: 'create' });
    expect(opened.status).toBe(200);
    await expect.poll(() => fake.openViews(alice.id).length).toBe(1);
    expect(fake.openViews(alice.id)[0]?.view.callback_id).toBe('incident-declare');

    const help = await driver.slashCommand({ userId: alice.id, channelId: 'general', text: 'help' });
    expect(help.body).toEqual({ text: 'Usage: /incident create [title]' });
    expect(fake.ephemerals().map((e) => [e.user, e.text])).toEqual([
      [alice.id, 'Usage: /incident create [title]'],
    ]);
  });

  it('submits a view with the state shapes Slack sends and closes it on an empty ack', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const bob = fake.addUser({ name: 'bob' });
    let received: Record<string, Record<string, ViewStateValue>> | undefined;
    let metadata: string | undefined;
    const driver = await startBolt(fake, (app) => {
      app.view('incident-declare', async ({ ack, view }) => {
        received = view.state.values;
        metadata = view.private_metadata;
        await ack();
      });
    });
    const opened = await client.views.open({ trigger_id: fake.issueTriggerId(alice.id), view: declareModal });
    const viewId = opened.view!.id!;

    const submitted = await driver.submitView({
      userId: alice.id,
      viewId,
      values: {
        title: { 'title-input': 'API latency spike' },
        commander: { 'commander-select': bob.id },
        visibility: { 'private-toggle': true },
        services: { 'services-select': ['api', 'db'] },
        started: { 'started-date': '2026-11-21' },
      },
    });

    expect(submitted.status).toBe(200);
    expect(submitted.outcome).toBe('closed');
    expect(fake.getView(viewId)?.status).toBe('closed');
    expect(metadata).toBe('{"origin":"C1"}');
    expect(received).toEqual({
      title: { 'title-input': { type: 'plain_text_input', value: 'API latency spike' } },
      severity: {
        'severity-select': { type: 'static_select', selected_option: option('SEV3', 'SEV3 · Medium') },
      },
      commander: { 'commander-select': { type: 'users_select', selected_user: bob.id } },
      summary: { 'summary-input': { type: 'plain_text_input', value: null } },
      visibility: {
        'private-toggle': { type: 'checkboxes', selected_options: [option('private', 'Private channel')] },
      },
      services: {
        'services-select': { type: 'multi_static_select', selected_options: [option('api'), option('db')] },
      },
      started: { 'started-date': { type: 'datepicker', selected_date: '2026-11-21' } },
    });
  });

  it('keeps the modal open with errors, and refuses to submit an empty required input', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const driver = await startBolt(fake, (app) => {
      app.view('incident-declare', async ({ ack }) => {
        await ack({ response_action: 'errors', errors: { title: 'Title must be longer' } });
      });
    });
    const opened = await client.views.open({ trigger_id: fake.issueTriggerId(alice.id), view: declareModal });
    const viewId = opened.view!.id!;

    const submitted = await driver.submitView({
      userId: alice.id,
      viewId,
      values: { title: { 'title-input': 'x' } },
    });
    expect(submitted.body).toEqual({ response_action: 'errors', errors: { title: 'Title must be longer' } });
    expect(submitted.outcome).toBe('errors');
    expect(fake.getView(viewId)).toMatchObject({ status: 'open', errors: { title: 'Title must be longer' } });

    await expect(driver.submitView({ userId: alice.id, viewId, values: {} })).rejects.toThrow(
      /required input title\/title-input/,
    );
    await expect(
      driver.submitView({
        userId: alice.id,
        viewId,
        values: { title: { 'title-input': 'ok' }, severity: { 'severity-select': 'SEV9' } },
      }),
    ).rejects.toThrow(/no option with value "SEV9"/);
  });

  it('clicks a button inside a modal and lets the app update it, then replaces it on response_action update', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    const withButton = {
      ...declareModal,
      blocks: [
        ...declareModal.blocks,
        {
          type: 'actions',
          block_id: 'more',
          elements: [
            { type: 'button', action_id: 'add-responder', text: { type: 'plain_text', text: 'Add' } },
          ],
        },
      ],
    };
    let typedTitle: string | null | undefined;
    const driver = await startBolt(fake, (app) => {
      app.action<BlockAction>('add-responder', async ({ ack, body, client: bolt }) => {
        await ack();
        typedTitle = body.view?.state.values.title?.['title-input']?.value;
        await bolt.views.update({
          view_id: body.view!.id,
          hash: body.view!.hash,
          view: { ...declareModal, title: { type: 'plain_text', text: 'Responders' } },
        });
      });
      app.view('incident-declare', async ({ ack }) => {
        await ack({
          response_action: 'update',
          view: { ...declareModal, title: { type: 'plain_text', text: 'Declared' } },
        });
      });
    });
    const viewId = (await client.views.open({ trigger_id: fake.issueTriggerId(alice.id), view: withButton }))
      .view!.id!;

    const clicked = await driver.clickViewButton({
      userId: alice.id,
      viewId,
      actionId: 'add-responder',
      values: { title: { 'title-input': 'half typed' } },
    });
    expect(clicked.status).toBe(200);
    await expect.poll(() => fake.getView(viewId)?.view.title?.text).toBe('Responders');
    expect(typedTitle).toBe('half typed');

    const submitted = await driver.submitView({
      userId: alice.id,
      viewId,
      values: { title: { 'title-input': 'API down' } },
    });
    expect(submitted.outcome).toBe('updated');
    expect(fake.getView(viewId)).toMatchObject({ status: 'open', view: { title: { text: 'Declared' } } });
  });

  it('clicks a message button with a block_actions payload and applies respond(replace_original)', async () => {
    const { fake, client } = await startFake();
    const alice = fake.addUser({ name: 'alice' });
    let action: BlockAction | undefined;
    const driver = await startBolt(fake, (app) => {
      app.action<BlockAction>('incident-join', async ({ ack, body, respond }) => {
        await ack();
        action = body;
        await respond({ replace_original: true, text: 'Alice joined' });
      });
    });
    const posted = await client.chat.postMessage({
      channel: 'general',
      text: 'SEV2 declared',
      blocks: [
        {
          type: 'actions',
          block_id: 'incident-actions',
          elements: [
            {
              type: 'button',
              action_id: 'incident-join',
              text: { type: 'plain_text', text: 'Join' },
              value: '12',
            },
          ],
        },
      ],
    });

    const clicked = await driver.clickButton({
      userId: alice.id,
      channelId: posted.channel!,
      messageTs: posted.ts!,
      actionId: 'incident-join',
    });
    expect(clicked.status).toBe(200);
    await expect.poll(() => fake.getMessage(posted.channel!, posted.ts!)?.text).toBe('Alice joined');
    expect(action).toMatchObject({
      type: 'block_actions',
      user: { id: alice.id, username: 'alice' },
      container: { type: 'message', message_ts: posted.ts, channel_id: posted.channel, is_ephemeral: false },
      channel: { id: posted.channel, name: 'general' },
      message: { ts: posted.ts, text: 'SEV2 declared' },
      trigger_id: clicked.triggerId,
      response_url: clicked.responseUrl,
      actions: [{ action_id: 'incident-join', block_id: 'incident-actions', value: '12', type: 'button' }],
    });
    expect(fake.responses(clicked.responseUrl)).toHaveLength(1);
  });

  it('is rejected by Bolt when forged or stale, and when the content type has a charset suffix', async () => {
    const { fake } = await startFake();
    const driver = await startBolt(fake, (app) => {
      app.command('/incident', async ({ ack }) => ack());
    });
    const body = 'command=%2Fincident&text=help';
    expect((await driver.post(body, { signature: 'v0=forged' })).status).toBe(401);
    expect((await driver.post(body, { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
    expect(
      (await driver.post(body, { contentType: 'application/x-www-form-urlencoded; charset=utf-8' })).status,
    ).toBe(400);
  });

  it('passes retry headers through to the listener context', async () => {
    const { fake } = await startFake();
    const seen: unknown[] = [];
    const driver = await startBolt(fake, (app) => {
      app.event('app_mention', async ({ context, event }) => {
        seen.push([event.text, context.retryNum, context.retryReason]);
      });
    });
    const sent = await driver.event({
      event: { type: 'app_mention', user: 'U1', text: 'status?', channel: 'C1', ts: '1.000001' },
      retryNum: 2,
      retryReason: 'http_timeout',
    });
    expect(sent.status).toBe(200);
    await expect.poll(() => seen).toEqual([['status?', 2, 'http_timeout']]);
  });
});
