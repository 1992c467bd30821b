import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxLog, type OutboxLog } from '../src/outbox/outbox-log.js';
import type { WebhookAnswer } from '../src/outbox/twilio-outbox.js';
import { createSlackDriver } from '../src/slack-driver.js';
import { createSandboxServer } from '../src/web/sandbox-server.js';
import { openEventStream } from './event-stream.js';
import { startFake } from './fake-fixture.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The sandbox page's server over a fake, with (or without) an outbox log; resolves with its base URL. */
async function serve(
  outbox?: OutboxLog,
  outboxReply?: (id: string) => Promise<WebhookAnswer>,
): Promise<string> {
  const { fake } = await startFake();
  const user = fake.addUser({ name: 'bob', realName: 'Bob' }).id;
  const driver = createSlackDriver({
    fake,
    appUrl: 'http://127.0.0.1:9/slack/events',
    signingSecret: 'secret',
  });
  const sandbox = createSandboxServer({
    fake,
    driver,
    users: [{ id: user, label: 'Bob' }],
    outbox,
    outboxReply,
  });
  cleanups.push(() => sandbox.close());
  const server = createServer((req, res) => {
    if (!sandbox.handler(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the sandbox page’s Outbox', () => {
  it('lists what the providers were sent, newest first, and tells the page it has an Outbox', async () => {
    const log = createOutboxLog();
    const base = await serve(log);
    log.add({ kind: 'sms', id: 'SM1', to: '+15550100001', from: '+15550100000', body: 'first' });
    log.add({ kind: 'push', id: 'msg1', topic: 'bob-pages', title: '<b>second</b>', body: 'x', click: null });
    const users = (await (await fetch(`${base}/api/users`)).json()) as { outbox: boolean };
    expect(users.outbox).toBe(true);
    const { entries } = (await (await fetch(`${base}/api/outbox`)).json()) as {
      entries: { id: string; title?: string }[];
    };
    expect(entries.map((entry) => entry.id)).toEqual(['msg1', 'SM1']);
    // Kept as the text it was: the page writes it as text, never as HTML.
    expect(entries[0]!.title).toBe('<b>second</b>');
  });

  it('replies to an SMS or call through the provider fake, and says what the app answered', async () => {
    const replied: string[] = [];
    const base = await serve(createOutboxLog(), async (id) => {
      replied.push(id);
      if (id === 'gone') throw new Error('Twilio sent nothing with sid gone');
      return { status: 200, said: 'Acknowledged. Thank you.' };
    });
    const users = (await (await fetch(`${base}/api/users`)).json()) as { outboxReplies: boolean };
    expect(users.outboxReplies).toBe(true);
    const post = (body: unknown) =>
      fetch(`${base}/api/outbox/reply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify(body),
      });
    const ok = await post({ id: 'SM1' });
    expect(await ok.json()).toEqual({ status: 200, said: 'Acknowledged. Thank you.' });
    const gone = await post({ id: 'gone' });
    expect(gone.status).toBe(400);
    expect(await gone.json()).toEqual({ error: 'Twilio sent nothing with sid gone' });
    expect((await post({})).status).toBe(400);
    expect(replied).toEqual(['SM1', 'gone']);
  });

  it('has no Outbox without provider fakes', async () => {
    const base = await serve();
    expect(((await (await fetch(`${base}/api/users`)).json()) as { outbox: boolean }).outbox).toBe(false);
    expect((await fetch(`${base}/api/outbox`)).status).toBe(404);
    const reply = await fetch(`${base}/api/outbox/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ id: 'SM1' }),
    });
    expect(reply.status).toBe(400);
  });

  it('sends the open page a server-sent event for every new message', async () => {
    const log = createOutboxLog();
    const base = await serve(log);
    const stream = await openEventStream(`${base}/api/events`);
    cleanups.push(stream.close);
    await new Promise((resolve) => setTimeout(resolve, 20));
    log.add({ kind: 'sms', id: 'SM1', to: '+15550100001', from: '+15550100000', body: 'page' });
    expect(await stream.firstData).toEqual({ type: 'outbox' });
    stream.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The page went away: the stream stopped listening to the log.
    expect(log.events.listenerCount('change')).toBe(0);
  });
});
