import { createServer, get, type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackDriver } from '../src/slack-driver.js';
import type { SlackFake } from '../src/slack-fake/index.js';
import { createSandboxServer, type SandboxServer, type SandboxTool } from '../src/web/sandbox-server.js';
import { openEventStream } from './event-stream.js';
import { startFake } from './fake-fixture.js';

const SIGNING_SECRET = 'sandbox-web-secret';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stands in for the bot: records every signed POST and answers with `reply` (default an empty 200). */
async function startRecorder() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const recorder = {
    received,
    reply: { status: 200, body: '' } as { status: number; body: string },
    url: '',
    /** The decoded interaction payload / slash-command form / event JSON of the i-th request. */
    parsed(index: number): Record<string, unknown> {
      const request = received[index];
      if (!request) throw new Error(`no request ${index}`);
      if (request.headers['content-type'] === 'application/json') return JSON.parse(request.body);
      const form = new URLSearchParams(request.body);
      const payload = form.get('payload');
      return payload ? JSON.parse(payload) : Object.fromEntries(form);
    },
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    const { status, body } = recorder.reply;
    res.writeHead(status, body.startsWith('{') ? { 'content-type': 'application/json' } : {});
    res.end(body);
  });
  recorder.url = `${await listen(server)}/slack/events`;
  return recorder;
}

interface Setup {
  fake: SlackFake;
  client: Awaited<ReturnType<typeof startFake>>['client'];
  sandbox: SandboxServer;
  base: string;
  recorder: Awaited<ReturnType<typeof startRecorder>>;
  reporter: string;
  oncall: string;
}

async function setup(tools: SandboxTool[] = []): Promise<Setup> {
  const { fake, client } = await startFake();
  const reporter = fake.addUser({ name: 'riley', realName: 'Riley Reporter' }).id;
  const oncall = fake.addUser({ name: 'olga', realName: 'Olga Oncall' }).id;
  const recorder = await startRecorder();
  const driver = createSlackDriver({ fake, appUrl: recorder.url, signingSecret: SIGNING_SECRET });
  const sandbox = createSandboxServer({
    fake,
    driver,
    users: [
      { id: reporter, label: 'Riley (reporter)' },
      { id: oncall, label: 'Olga (on call)' },
    ],
    title: 'Test sandbox',
    slashCommands: ['/incident'],
    tools,
  });
  cleanups.push(() => sandbox.close());
  const server = createServer((req, res) => {
    if (!sandbox.handler(req, res)) {
      res.writeHead(418);
      res.end('not the sandbox');
    }
  });
  const base = await listen(server);
  return { fake, client, sandbox, base, recorder, reporter, oncall };
}

/** Parsed API answers, read loosely: the assertions check their shape. */
// biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary JSON
type Json = any;

async function getJson(url: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

async function postJson(url: string, body: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: 'POST',
    // As the page's own fetch sends it.
    headers: { 'content-type': 'application/json', origin: new URL(url).origin },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const button = (actionId: string, value?: string) => ({
  type: 'button' as const,
  action_id: actionId,
  text: plain(actionId),
  ...(value ? { value } : {}),
});
const declareModal = {
  type: 'modal' as const,
  callback_id: 'incident-declare',
  title: plain('Declare incident'),
  submit: plain('Declare'),
  blocks: [
    {
      type: 'input',
      block_id: 'title',
      label: plain('Title'),
      element: { type: 'plain_text_input', action_id: 'value' },
    },
    {
      type: 'input',
      block_id: 'severity',
      label: plain('Severity'),
      element: {
        type: 'static_select',
        action_id: 'value',
        options: [
          { text: plain('SEV1'), value: 'SEV1' },
          { text: plain('SEV3'), value: 'SEV3' },
        ],
        initial_option: { text: plain('SEV3'), value: 'SEV3' },
      },
    },
  ],
};

describe('sandbox page server', () => {
  it('serves the page and its assets, and leaves other paths to the host server', async () => {
    const { base } = await setup();
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<title>Test sandbox</title>');
    for (const testid of ['user-switcher', 'composer', 'composer-send', 'home-tab']) {
      expect(html).toContain(`data-testid="${testid}"`);
    }
    const script = await fetch(`${base}/app.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    const entry = await script.text();
    expect(entry).toContain('/api/events');
    // Every ES module the page imports, followed from app.js, is served as JavaScript.
    const served = new Set<string>();
    const pending = [...entry.matchAll(/from '\.\/(page\/[a-z-]+\.js)'/g)].map((m) => `/${m[1]}`);
    expect(pending.length).toBeGreaterThan(3);
    while (pending.length > 0) {
      const path = pending.pop()!;
      if (served.has(path)) continue;
      const module = await fetch(`${base}${path}`);
      expect(module.status, path).toBe(200);
      expect(module.headers.get('content-type')).toContain('javascript');
      served.add(path);
      for (const m of (await module.text()).matchAll(/from '\.\/([a-z-]+\.js)'/g))
        pending.push(`/page/${m[1]}`);
    }
    expect(served).toContain('/page/modal-inputs.js');
    expect((await fetch(`${base}/page/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/page/sandbox-http.ts`)).status).toBe(418);
    expect((await fetch(`${base}/style.css`)).headers.get('content-type')).toContain('text/css');
    const other = await fetch(`${base}/slack/events`);
    expect(other.status).toBe(418);
    expect((await fetch(`${base}/api/nope`)).status).toBe(404);
  });

  it('lists the people one can act as', async () => {
    const { base, reporter, oncall } = await setup();
    const { body } = await getJson(`${base}/api/users`);
    expect(body.users).toEqual([
      { id: reporter, label: 'Riley (reporter)', name: 'Riley Reporter' },
      { id: oncall, label: 'Olga (on call)', name: 'Olga Oncall' },
    ]);
  });

  it('lists the app’s own tools and runs one by id, answering with what the app answered', async () => {
    const runs: string[] = [];
    const tool = (id: string, status: number): SandboxTool => ({
      id,
      label: `Label of ${id}`,
      hint: 'Things the app can do',
      run: async () => {
        runs.push(id);
        return { status, body: { ok: status < 400 } };
      },
    });
    const { base } = await setup([tool('send-test-alert', 202), tool('broken', 500)]);
    const { body } = await getJson(`${base}/api/users`);
    expect(body.tools).toEqual([
      { id: 'send-test-alert', label: 'Label of send-test-alert', hint: 'Things the app can do' },
      { id: 'broken', label: 'Label of broken', hint: 'Things the app can do' },
    ]);
    expect(await postJson(`${base}/api/tool`, { id: 'send-test-alert' })).toEqual({
      status: 200,
      body: { status: 202, body: { ok: true } },
    });
    expect((await postJson(`${base}/api/tool`, { id: 'broken' })).body).toEqual({
      status: 500,
      body: { ok: false },
    });
    expect(await postJson(`${base}/api/tool`, { id: 'nope' })).toEqual({
      status: 400,
      body: { error: 'no tool nope' },
    });
    expect(runs).toEqual(['send-test-alert', 'broken']);
    // No tools: the page hides the section (the list is empty).
    const bare = await setup();
    expect((await getJson(`${bare.base}/api/users`)).body.tools).toEqual([]);
  });

  it('shows a person their channels, DM with the bot, ephemerals, pins, open modal and home', async () => {
    const { fake, client, base, reporter, oncall } = await setup();
    const incident = fake.addChannel({ name: 'inc-1-checkout', isPrivate: true, members: [reporter] });
    const secret = fake.addChannel({ name: 'inc-2-secret', isPrivate: true, members: [oncall] });
    const ops = fake.addChannel({ name: 'ops', members: [oncall] });
    const room = fake.addChannel({ name: 'bot-room', members: [fake.config.botUserId, reporter, oncall] });

    const card = await client.chat.postMessage({
      channel: room.id,
      text: 'Incident card',
      blocks: [
        { type: 'header', text: plain('INC-1 Checkout down') },
        { type: 'actions', elements: [button('incident_ack', '1')] },
      ],
    });
    await client.pins.add({ channel: card.channel!, timestamp: card.ts! });
    await client.chat.postMessage({ channel: room.id, thread_ts: card.ts!, text: 'update 1' });
    await client.chat.postEphemeral({ channel: room.id, user: reporter, text: 'only Riley' });
    await client.chat.postEphemeral({ channel: room.id, user: oncall, text: 'only Olga' });
    const dm = (await client.conversations.open({ users: reporter })).channel!.id!;
    await client.chat.postMessage({ channel: dm, text: 'You are paged' });
    await client.views.open({ trigger_id: fake.issueTriggerId(reporter), view: declareModal });
    await client.views.publish({
      user_id: reporter,
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Home*' } }] },
    });

    const { status, body } = await getJson(`${base}/api/state?user=${reporter}`);
    expect(status).toBe(200);
    expect(body.me).toEqual({ id: reporter, name: 'Riley Reporter' });
    const byName = Object.fromEntries(body.channels.map((c: { name: string }) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(
      ['bot-room', 'general', 'inc-1-checkout', 'incident-bot', 'ops'].sort(),
    );
    expect(byName['inc-2-secret']).toBeUndefined();
    expect(byName.ops).toMatchObject({ id: ops.id, kind: 'channel', isMember: false, isPrivate: false });
    expect(byName['inc-1-checkout']).toMatchObject({ id: incident.id, isMember: true, isPrivate: true });
    expect(byName['incident-bot']).toMatchObject({ id: dm, kind: 'dm', isMember: true });
    expect(byName['incident-bot'].messages.map((m: { text: string }) => m.text)).toEqual(['You are paged']);
    expect(body.channelNames[secret.id]).toBeUndefined();

    const roomState = byName['bot-room'];
    expect(roomState.messages).toHaveLength(1);
    expect(roomState.messages[0]).toMatchObject({
      ts: card.ts,
      author: 'incident-bot',
      isBot: true,
      pinned: true,
      replyCount: 1,
      files: [],
    });
    expect(roomState.messages[0].blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'actions']);
    expect(roomState.ephemerals.map((e: { text: string }) => e.text)).toEqual(['only Riley']);

    expect(body.modal).toMatchObject({
      title: 'Declare incident',
      submit: 'Declare',
      callbackId: 'incident-declare',
      errors: {},
    });
    expect(body.modal.blocks).toHaveLength(2);
    expect(body.home.blocks[0].text.text).toBe('*Home*');
    expect(body.userNames[oncall]).toBe('Olga Oncall');

    const olga = (await getJson(`${base}/api/state?user=${oncall}`)).body;
    const olgaNames = olga.channels.map((c: { name: string }) => c.name);
    expect(olgaNames).toContain('inc-2-secret');
    expect(olgaNames).not.toContain('inc-1-checkout');
    expect(olgaNames).not.toContain('incident-bot');
    expect(olga.modal).toBeNull();
    expect(olga.home).toBeNull();
    const olgaRoom = olga.channels.find((c: { name: string }) => c.name === 'bot-room');
    expect(olgaRoom.ephemerals.map((e: { text: string }) => e.text)).toEqual(['only Olga']);

    const thread = await getJson(`${base}/api/replies?channel=${card.channel}&ts=${card.ts}`);
    expect(thread.body.parent.ts).toBe(card.ts);
    expect(thread.body.replies.map((m: { text: string }) => m.text)).toEqual(['update 1']);
  });

  it('sends /commands as signed slash commands and plain text as a user message', async () => {
    const { fake, base, recorder, reporter } = await setup();
    const general = fake.getChannel('general')!.id;

    const slash = await postJson(`${base}/api/command`, {
      user: reporter,
      channel: general,
      text: '/incident create Checkout is down',
    });
    expect(slash).toEqual({ status: 200, body: { status: 200, body: '' } });
    expect(recorder.received[0]?.headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(recorder.parsed(0)).toMatchObject({
      command: '/incident',
      text: 'create Checkout is down',
      user_id: reporter,
      channel_id: general,
    });

    const message = await postJson(`${base}/api/command`, {
      user: reporter,
      channel: general,
      text: 'hello',
    });
    expect(message.status).toBe(200);
    expect(recorder.parsed(1)).toMatchObject({
      type: 'event_callback',
      event: { type: 'message', user: reporter, channel: general, text: 'hello', ts: message.body.ts },
    });
    expect(fake.messages(general).map((m) => m.text)).toEqual(['hello']);

    // A slash command's ack body is shown to the person as an ephemeral.
    recorder.reply = { status: 200, body: JSON.stringify({ text: 'Usage: /incident …' }) };
    await postJson(`${base}/api/command`, { user: reporter, channel: general, text: '/incident help' });
    const state = (await getJson(`${base}/api/state?user=${reporter}`)).body;
    const generalState = state.channels.find((c: { name: string }) => c.name === 'general');
    expect(generalState.ephemerals.map((e: { text: string }) => e.text)).toEqual(['Usage: /incident …']);
  });

  it('forwards button clicks on messages and in views', async () => {
    const { fake, client, base, recorder, oncall } = await setup();
    const dm = (await client.conversations.open({ users: oncall })).channel!.id!;
    const page = await client.chat.postMessage({
      channel: dm,
      text: 'You are paged',
      blocks: [{ type: 'actions', block_id: 'page', elements: [button('page_ack', 'page-7')] }],
    });
    const click = await postJson(`${base}/api/click`, {
      user: oncall,
      channel: dm,
      ts: page.ts,
      actionId: 'page_ack',
    });
    expect(click).toEqual({ status: 200, body: { status: 200, body: '' } });
    expect(recorder.parsed(0)).toMatchObject({
      type: 'block_actions',
      user: { id: oncall },
      actions: [{ action_id: 'page_ack', value: 'page-7', block_id: 'page' }],
      container: { message_ts: page.ts, channel_id: dm },
    });

    await client.views.publish({
      user_id: oncall,
      view: { type: 'home', blocks: [{ type: 'actions', elements: [button('home_refresh')] }] },
    });
    const home = fake.homeView(oncall)!;
    const viewClick = await postJson(`${base}/api/view-click`, {
      user: oncall,
      viewId: home.view.id,
      actionId: 'home_refresh',
    });
    expect(viewClick.status).toBe(200);
    expect(recorder.parsed(1)).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: home.view.id },
      actions: [{ action_id: 'home_refresh' }],
    });
  });

  it('pins, reacts and runs message shortcuts from the message menu; shows reactions; refuses a pin from outside', async () => {
    const { fake, base, recorder, reporter, oncall } = await setup();
    const general = fake.getChannel('general')!.id;
    const message = fake.postAsUser({ userId: reporter, channelId: general, text: 'DB CPU at 100%' });
    const pin = await postJson(`${base}/api/pin`, {
      user: reporter,
      channel: general,
      ts: message.ts,
      pinned: true,
    });
    expect(pin.status).toBe(200);
    expect(fake.pins(general).map((p) => p.ts)).toEqual([message.ts]);
    expect(recorder.parsed(0)).toMatchObject({ event: { type: 'pin_added', user: reporter } });

    const react = await postJson(`${base}/api/react`, {
      user: oncall,
      channel: general,
      ts: message.ts,
      name: 'pushpin',
      added: true,
    });
    expect(react.status).toBe(200);
    const state = await getJson(`${base}/api/state?user=${reporter}`);
    const shown = state.body.channels
      .find((c: Json) => c.id === general)
      .messages.find((m: Json) => m.ts === message.ts);
    expect(shown).toMatchObject({
      pinned: true,
      reactions: [{ name: 'pushpin', count: 1, users: [oncall] }],
    });

    const shortcut = await postJson(`${base}/api/shortcut`, {
      user: oncall,
      channel: general,
      ts: message.ts,
      callbackId: 'timeline-add',
    });
    expect(shortcut.status).toBe(200);
    expect(recorder.parsed(2)).toMatchObject({ type: 'message_action', callback_id: 'timeline-add' });

    // Olga is not in #incidents-archive: Slack would not let her pin there.
    fake.addChannel({ name: 'incidents-archive', members: [reporter] });
    const archive = fake.getChannel('incidents-archive')!.id;
    const other = fake.postAsUser({ userId: reporter, channelId: archive, text: 'old' });
    const refused = await postJson(`${base}/api/pin`, {
      user: oncall,
      channel: archive,
      ts: other.ts,
      pinned: true,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/not in/);
    expect(fake.pins(archive)).toEqual([]);
  });

  it('escapes typed @handles and #channels as Slack’s client does, leaving #12 and unknown names alone', async () => {
    const { fake, base, recorder, reporter, oncall } = await setup();
    const general = fake.getChannel('general')!.id;
    await postJson(`${base}/api/command`, {
      user: reporter,
      channel: general,
      text: '/incident page @olga #12 @nobody (#general)',
    });
    expect(recorder.parsed(0).text).toBe(`page <@${oncall}|olga> #12 @nobody (<#${general}|general>)`);
  });

  it('answers a slash command the app does not have with the ones it has', async () => {
    const { fake, base, recorder, reporter } = await setup();
    const general = fake.getChannel('general')!.id;
    const answer = await postJson(`${base}/api/command`, {
      user: reporter,
      channel: general,
      text: '/giphy cats',
    });
    expect(answer).toEqual({
      status: 400,
      body: { error: '/giphy is not a command of this app. Try /incident help.' },
    });
    expect(recorder.received).toHaveLength(0);
  });

  it('tells the bot when a person opens the Home tab', async () => {
    const { client, base, recorder, oncall } = await setup();
    const dm = (await client.conversations.open({ users: oncall })).channel!.id!;
    const opened = await postJson(`${base}/api/home-opened`, { user: oncall });
    expect(opened).toEqual({ status: 200, body: { status: 200, body: '' } });
    expect(recorder.parsed(0)).toMatchObject({
      type: 'event_callback',
      event: { type: 'app_home_opened', user: oncall, tab: 'home', channel: dm },
    });
  });

  it('submits modals: closes them, reports field errors, and refuses an empty required input with 400', async () => {
    const { fake, client, base, recorder, reporter } = await setup();
    const opened = await client.views.open({ trigger_id: fake.issueTriggerId(reporter), view: declareModal });
    const viewId = opened.view!.id!;

    const empty = await postJson(`${base}/api/submit`, { user: reporter, viewId, values: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/required input title\/value is empty/);
    expect(recorder.received).toHaveLength(0);

    recorder.reply = {
      status: 200,
      body: JSON.stringify({ response_action: 'errors', errors: { title: 'Give it a title' } }),
    };
    const rejected = await postJson(`${base}/api/submit`, {
      user: reporter,
      viewId,
      values: { title: { value: 'x' } },
    });
    expect(rejected.body).toMatchObject({
      status: 200,
      outcome: 'errors',
      errors: { title: 'Give it a title' },
    });
    const state = (await getJson(`${base}/api/state?user=${reporter}`)).body;
    expect(state.modal).toMatchObject({ id: viewId, errors: { title: 'Give it a title' } });

    recorder.reply = { status: 200, body: '' };
    const accepted = await postJson(`${base}/api/submit`, {
      user: reporter,
      viewId,
      values: { title: { value: 'Checkout down' }, severity: { value: 'SEV1' } },
    });
    expect(accepted.body).toMatchObject({ status: 200, outcome: 'closed', errors: {} });
    const submitted = recorder.parsed(1) as { type: string; view: { state: { values: Json } } };
    expect(submitted.type).toBe('view_submission');
    expect(submitted.view.state.values.title.value).toEqual({
      type: 'plain_text_input',
      value: 'Checkout down',
    });
    expect(submitted.view.state.values.severity.value.selected_option.value).toBe('SEV1');
    expect((await getJson(`${base}/api/state?user=${reporter}`)).body.modal).toBeNull();

    // A closed view can be neither submitted nor closed again: 400, and the server keeps serving.
    const again = await postJson(`${base}/api/close-view`, { user: reporter, viewId });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatch(/not open/);
  });

  it('closes a modal for the person who cancels it', async () => {
    const { fake, client, base, reporter } = await setup();
    const opened = await client.views.open({ trigger_id: fake.issueTriggerId(reporter), view: declareModal });
    const closed = await postJson(`${base}/api/close-view`, { user: reporter, viewId: opened.view!.id });
    expect(closed).toEqual({ status: 200, body: { status: null, body: null } });
    expect(fake.openViews(reporter)).toEqual([]);
  });

  it('answers bad requests with 400 JSON', async () => {
    const { base, reporter } = await setup();
    const cases: [string, unknown][] = [
      ['/api/command', { user: 'UNOBODY', channel: 'C1', text: 'hi' }],
      ['/api/command', { user: reporter, channel: 'CNOPE', text: '/incident list' }],
      ['/api/command', '{not json'],
      ['/api/click', { user: reporter, channel: 'general', ts: '1.000001', actionId: 'x' }],
      ['/api/submit', { user: reporter, viewId: 'VNOPE', values: {} }],
    ];
    for (const [path, body] of cases) {
      const response = await postJson(`${base}${path}`, body);
      expect(response.status, path).toBe(400);
      expect(typeof response.body.error, path).toBe('string');
    }
    expect((await getJson(`${base}/api/state`)).status).toBe(400);
    expect((await getJson(`${base}/api/state?user=UNOBODY`)).body).toEqual({ error: 'unknown user UNOBODY' });
    expect((await fetch(`${base}/api/command`)).status).toBe(405);
  });

  it('refuses cross-site posts and other host names (DNS rebinding) with 403, and acts on none of them', async () => {
    const { fake, base, recorder, reporter } = await setup();
    const general = fake.getChannel('general')!.id;
    const port = new URL(base).port;
    const body = JSON.stringify({
      user: reporter,
      channel: general,
      text: '/incident create From elsewhere',
    });
    /** node:http, since fetch will not send a Host header of the caller's choosing. */
    const raw = (method: string, path: string, headers: Record<string, string>, data?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(data);
      });
    const json = 'application/json';
    const refused: [string, string, Record<string, string>][] = [
      // A cross-site form or fetch without a preflight: text/plain, even with our own origin.
      ['POST', '/api/command', { 'content-type': 'text/plain', origin: base }],
      ['POST', '/api/command', { 'content-type': json, origin: 'http://evil.example' }],
      ['POST', '/api/command', { 'content-type': json, origin: `http://127.0.0.1:${Number(port) + 1}` }],
      ['POST', '/api/command', { 'content-type': json }],
      // A rebound name resolving to 127.0.0.1: the browser sends its own host name, and an origin to match.
      [
        'POST',
        '/api/command',
        { 'content-type': json, host: `evil.example:${port}`, origin: `http://evil.example:${port}` },
      ],
      ['GET', `/api/state?user=${reporter}`, { host: `evil.example:${port}` }],
      ['GET', '/api/users', { host: 'localhost:1' }],
    ];
    for (const [method, path, headers] of refused) {
      const response = await raw(method, path, headers, method === 'POST' ? body : undefined);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(response.body).error).toMatch(/sandbox/);
    }
    expect(recorder.received).toHaveLength(0);
    // The page itself, under either loopback name, is served.
    const local = { host: `localhost:${port}`, origin: `http://localhost:${port}`, 'content-type': json };
    expect((await raw('POST', '/api/command', local, body)).status).toBe(200);
    expect((await raw('GET', '/api/users', { host: `localhost:${port}` })).status).toBe(200);
    expect(recorder.received).toHaveLength(1);
  });

  it('serves uploaded files', async () => {
    const { fake, client, base, reporter } = await setup();
    const channel = fake.addChannel({ name: 'inc-3', members: [fake.config.botUserId, reporter] });
    const content = '# Postmortem INC-3\n\nRoot cause: a bad deploy.\n';
    await client.filesUploadV2({
      channel_id: channel.id,
      filename: 'postmortem-inc-3.md',
      title: 'Postmortem',
      content,
    });
    const file = fake.files()[0]!;
    const state = (await getJson(`${base}/api/state?user=${reporter}`)).body;
    const message = state.channels.find((c: { name: string }) => c.name === 'inc-3').messages[0];
    expect(message.files).toEqual([
      expect.objectContaining({ id: file.id, name: 'postmortem-inc-3.md', url: `/api/files/${file.id}` }),
    ]);
    const response = await fetch(`${base}${message.files[0].url}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await response.text()).toBe(content);
    expect((await fetch(`${base}/api/files/FNOPE`)).status).toBe(404);
  });

  it('streams a server-sent event for every change of the local Slack', async () => {
    const { fake, base, reporter } = await setup();
    const stream = await openEventStream(`${base}/api/events`);
    cleanups.push(stream.close);
    expect(stream.response.headers['content-type']).toBe('text/event-stream');
    await new Promise((resolve) => setTimeout(resolve, 20));
    fake.postAsUser({ userId: reporter, channelId: 'general', text: 'ping' });
    expect(await stream.firstData).toMatchObject({
      type: 'message',
      channelId: fake.getChannel('general')!.id,
    });
  });

  it('sends heartbeats and stops listening to the fake when the page goes away', async () => {
    const { fake } = await startFake();
    const driver = createSlackDriver({ fake, appUrl: 'http://127.0.0.1:9/', signingSecret: SIGNING_SECRET });
    const sandbox = createSandboxServer({ fake, driver, users: [], heartbeatMs: 10 });
    const base = await listen(createServer((req, res) => void sandbox.handler(req, res)));
    const before = fake.events.listenerCount('change');
    const response = await new Promise<IncomingMessage>((resolve) => get(`${base}/api/events`, resolve));
    response.setEncoding('utf8');
    const heartbeat = new Promise<void>((resolve) => {
      response.on('data', (chunk: string) => chunk.includes(': heartbeat') && resolve());
    });
    await heartbeat;
    expect(fake.events.listenerCount('change')).toBe(before + 1);
    response.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.events.listenerCount('change')).toBe(before);
  });
});
