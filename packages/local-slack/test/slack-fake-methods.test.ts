import { describe, expect, it } from 'vitest';
import { BodyParseError, parseApiArgs } from '../src/slack-fake/body-parser.js';
import { SlackApiError } from '../src/slack-fake/errors.js';
import { slackMethods } from '../src/slack-fake/methods/index.js';
import { addUser, seedWorkspace } from '../src/slack-fake/seed.js';
import { createFakeState, type FakeConfig } from '../src/slack-fake/state.js';
import type { FakeChange } from '../src/slack-fake/types.js';

const config: FakeConfig = {
  botToken: 'xoxb-t',
  botUserId: 'UBOT00001',
  botId: 'BBOT00001',
  botName: 'incident-bot',
  appId: 'A0SANDBOX01',
  teamId: 'T00000001',
  teamName: 'Sandbox',
  teamDomain: 'sandbox',
  triggerIdTtlMs: 3000,
  responseUrlMaxUses: 5,
  responseUrlTtlMs: 1_800_000,
};

function workspace() {
  const changes: FakeChange[] = [];
  const state = createFakeState(config, { now: () => 1_750_000_000_000, emit: (c) => changes.push(c) });
  seedWorkspace(state);
  const call = (method: string, args: Record<string, unknown>) => slackMethods[method]!(state, args);
  return { state, changes, call };
}

describe('slack fake methods without HTTP', () => {
  it('runs a method against plain state and emits the change', () => {
    const { state, changes, call } = workspace();
    const alice = addUser(state, { name: 'alice' });
    const created = call('conversations.create', { name: 'inc-1' }) as { channel: { id: string } };
    changes.length = 0;
    call('conversations.invite', { channel: created.channel.id, users: [alice.id] });
    expect([...(state.channels.get(created.channel.id)?.members ?? [])]).toEqual(['UBOT00001', alice.id]);
    expect(changes).toEqual([{ type: 'member', channelId: created.channel.id }]);
  });

  it('throws SlackApiError with the code, leaving state untouched', () => {
    const { state, call } = workspace();
    const before = state.channels.size;
    expect(() => call('conversations.create', { name: 'Bad Name' })).toThrow(SlackApiError);
    expect(() => call('conversations.create', { name: 'Bad Name' })).toThrow('invalid_name_specials');
    expect(state.channels.size).toBe(before);
  });
});

describe('slack fake body parsing', () => {
  it('decodes the nested JSON that WebClient puts in form bodies, and only for nested arguments', async () => {
    const body = new URLSearchParams({
      channel: 'C1',
      text: '[1,2]',
      blocks: JSON.stringify([{ type: 'divider' }]),
      users: 'U1,U2',
    }).toString();
    const args = await parseApiArgs('application/x-www-form-urlencoded', Buffer.from(body));
    expect(args).toEqual({ channel: 'C1', text: '[1,2]', blocks: [{ type: 'divider' }], users: 'U1,U2' });
  });

  it('reads JSON and multipart bodies, and reports broken JSON as invalid_json', async () => {
    expect(
      await parseApiArgs(
        'application/json; charset=utf-8',
        Buffer.from('{"view":"{\\"type\\":\\"modal\\"}"}'),
      ),
    ).toEqual({
      view: { type: 'modal' },
    });

    const form = new FormData();
    form.append('filename', 'a.txt');
    form.append('file', new Blob([Buffer.from('abc')]), 'a.txt');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const multipart = await parseApiArgs(
      request.headers.get('content-type') ?? '',
      Buffer.from(await request.arrayBuffer()),
    );
    expect(multipart.filename).toBe('a.txt');
    expect(Buffer.isBuffer(multipart.file) && multipart.file.toString()).toBe('abc');

    await expect(parseApiArgs('application/json', Buffer.from('{nope'))).rejects.toBeInstanceOf(
      BodyParseError,
    );
  });
});
