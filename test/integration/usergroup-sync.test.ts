import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { createSlackFake, type SlackFake } from '@incident-bot/local-slack';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createUsergroupSync, describeUsergroupAccess } from '../../src/slack/usergroup-sync.js';
import { oncallFixture, writeOncallFile } from '../helpers/oncall-fixture.js';

/** The user group adapter against the local Slack: what it calls, and what it does when it may not. */
let fake: SlackFake;
let bob: string;
let carol: string;
let logs: { level: number; msg: string; code?: string }[];
let members: string[];

const sync = () => {
  const client = new WebClient(fake.config.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
  });
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  });
  return createUsergroupSync({
    client,
    logger,
    members: async (schedule) => (schedule === 'primary' ? { handle: 'primary-oncall', members } : null),
  });
};

beforeAll(async () => {
  fake = createSlackFake();
  await fake.start();
  bob = fake.addUser({ name: 'bob', email: 'bob@acme.test' }).id;
  carol = fake.addUser({ name: 'carol', email: 'carol@acme.test' }).id;
});
afterAll(() => fake.stop());
beforeEach(() => {
  logs = [];
  members = ['bob@acme.test'];
  fake.clearFaults();
  fake.resetCalls();
});

describe('the user group adapter', () => {
  it('creates a missing group, sets it, and leaves an unchanged one alone', async () => {
    const groups = sync();
    expect(await groups.sync('primary')).toBe('updated');
    expect(fake.usergroups()).toMatchObject([{ handle: 'primary-oncall', users: [bob] }]);
    expect(await groups.sync('primary')).toBe('unchanged');
    expect(fake.calls('usergroups.users.update')).toHaveLength(1);
    expect(fake.calls('usergroups.create')).toHaveLength(1);
    members = [carol, 'nobody@acme.test'];
    expect(await groups.sync('primary')).toBe('updated');
    expect(fake.usergroups()[0]!.users).toEqual([carol]);
    expect(logs.some((l) => l.msg.includes('no Slack user with this email'))).toBe(true);
    expect(await groups.sync('secondary')).toBe('not_configured');
  });

  it('with nobody on call leaves the group as it is (Slack refuses an empty one)', async () => {
    members = [];
    expect(await sync().sync('primary')).toBe('unchanged');
    expect(fake.calls('usergroups.users.update')).toHaveLength(0);
  });

  it.each([
    ['not_allowed_token_type', /bot token may not manage user groups/],
    ['missing_scope', /usergroups:read and usergroups:write/],
  ])('%s: warns once per process, never throws, and tries again at the next handoff', async (code, why) => {
    const groups = sync();
    fake.injectFault('usergroups.list', { error: code }, 3);
    expect(await groups.sync('primary')).toBe('unavailable');
    expect(await groups.sync('primary')).toBe('unavailable');
    expect(logs.filter((l) => l.code === code)).toHaveLength(1);
    expect(logs.find((l) => l.code === code)!.msg).toMatch(why);
    expect(logs.find((l) => l.code === code)!.level).toBe(40);
    expect(fake.calls('usergroups.list')).toHaveLength(2);
  });

  it('a transient failure is thrown, for the job queue to retry', async () => {
    fake.injectFault('usergroups.list', { error: 'internal_error' });
    await expect(sync().sync('primary')).rejects.toThrow(/internal_error/);
  });
});

describe('npm run config:check and user groups', () => {
  const env = () => ({ SLACK_BOT_TOKEN: fake.config.botToken, SLACK_API_URL: fake.apiUrl });

  it('asks Slack, with a token, whether this workspace may have user groups', async () => {
    expect(await describeUsergroupAccess(env())).toBe('User groups: this bot token may manage them.');
    expect(await describeUsergroupAccess({})).toMatch(/not checked against Slack \(set SLACK_BOT_TOKEN/);
  });

  it('warns, and still passes, on a workspace without them', async () => {
    fake.setPlan({ usergroups: false });
    try {
      const path = await writeOncallFile(
        oncallFixture({
          levels: [['schedule:primary', '5m']],
          primary: { slack_usergroup: 'primary-oncall' },
        }),
        { bob: bob },
      );
      const { stdout } = await promisify(execFile)(
        new URL('../../node_modules/.bin/tsx', import.meta.url).pathname,
        [new URL('../../src/escalation/config-check-cli.ts', import.meta.url).pathname, path],
        { env: { ...process.env, ...env() } },
      );
      expect(stdout).toContain('  user group: @primary-oncall (whoever is on call)');
      expect(stdout).toContain(
        "Warning: user groups cannot follow the rota: this workspace's Slack plan has no user groups (they need a paid plan) (paid_teams_only).",
      );
    } finally {
      fake.setPlan({ usergroups: true });
    }
  });
});
