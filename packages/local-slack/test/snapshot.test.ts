import { afterEach, describe, expect, it } from 'vitest';
import { createSlackFake, type SlackFake } from '../src/slack-fake/index.js';

const fakes: SlackFake[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

describe('local Slack snapshots', () => {
  it('restore users, channels with members, messages and pins into a new workspace', async () => {
    const first = createSlackFake();
    fakes.push(first);
    const alice = first.addUser({ name: 'alice', email: 'alice@acme.test' });
    const channel = first.addChannel({ name: 'inc-1-db-down', members: [alice.id, first.config.botUserId] });
    const message = first.postAsUser({ userId: alice.id, channelId: channel.id, text: 'DB is down' });
    const saved = first.exportState();

    const second = createSlackFake();
    fakes.push(second);
    second.importState(saved);
    expect(second.getUser(alice.id)?.name).toBe('alice');
    expect(second.getChannel('inc-1-db-down')?.id).toBe(channel.id);
    expect(second.members(channel.id).sort()).toEqual([alice.id, first.config.botUserId].sort());
    expect(second.messages(channel.id).map((m) => [m.ts, m.text])).toEqual([[message.ts, 'DB is down']]);
  });
});
