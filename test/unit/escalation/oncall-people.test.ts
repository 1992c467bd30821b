import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { OncallConfigError, parseOncallConfig } from '../../../src/escalation/oncall-config.js';
import { findPersonByPhone, providerProblems } from '../../../src/escalation/people.js';
import { configuredChannels } from '../../../src/notify/providers.js';

const root = new URL('../../../', import.meta.url).pathname;

const base = `
timezone: Europe/London
escalation_policies:
  default:
    levels:
      - { notify: [user:bob@acme.test], escalate_after: 5m }
paging:
  default_policy: default
`;

const withPeople = (people: string, paging = '') => `${base}${paging}people:\n${people}`;

const bob = `  bob@acme.test:
    phone: "+15551230001"
    push_topic: bob-pages
    notify:
      - { via: slack, after: 0m }
      - { via: push, after: 1m }
      - { via: sms, after: 3m }
      - { via: voice, after: 5m }
      - { via: email }
    quiet_hours: { from: "22:00", to: "07:00", only: [SEV1] }
`;

/** The problems the file is refused with (the test fails if it is accepted). */
function problemsOf(text: string): string[] {
  let thrown: unknown = null;
  try {
    parseOncallConfig(text);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OncallConfigError);
  return (thrown as OncallConfigError).problems;
}

describe('people: in oncall.yaml', () => {
  it('reads the contract example: contacts, rules in order with their delays, quiet hours', () => {
    const { people } = parseOncallConfig(withPeople(bob));
    expect(people['bob@acme.test']).toEqual({
      key: 'bob@acme.test',
      phone: '+15551230001',
      pushTopic: 'bob-pages',
      email: 'bob@acme.test',
      notify: [
        { via: 'slack', afterMs: 0 },
        { via: 'push', afterMs: 60_000 },
        { via: 'sms', afterMs: 180_000 },
        { via: 'voice', afterMs: 300_000 },
        { via: 'email', afterMs: 0 },
      ],
      quietHours: { from: { hour: 22, minute: 0 }, to: { hour: 7, minute: 0 }, only: ['SEV1'] },
    });
    expect(findPersonByPhone(people, '+15551230001')?.key).toBe('bob@acme.test');
    expect(findPersonByPhone(people, '+15550000000')).toBeNull();
  });

  it('is optional: without it nobody has rules (Slack DM only, as before)', () => {
    expect(parseOncallConfig(base).people).toEqual({});
  });

  it('names the path of each bad value', () => {
    const problems = problemsOf(
      withPeople(`  bob@acme.test:
    phone: "555-1234"
    notify:
      - { via: pigeon, after: 0m }
      - { via: sms, after: soon }
    quiet_hours: { from: "25:00", to: "07:00" }
  not a person:
    notify: [{ via: slack }]
`),
    );
    expect(problems).toEqual([
      'people.bob@acme.test.phone: expected a phone number in E.164 form such as "+15551230001" (quoted) (got "555-1234")',
      'people.bob@acme.test.notify[0].via: expected one of slack, push, sms, voice, email (got "pigeon")',
      'people.bob@acme.test.notify[1].after: expected a duration such as 90s, 5m, 2h, 1 day or 1 week (got "soon")',
      'people.bob@acme.test.quiet_hours.from: expected HH:MM (got "25:00")',
      'people.not a person: "not a person" is not a valid name: use letters, digits, ".", "_" or "-"',
    ]);
  });

  it('refuses a rule whose contact is missing', () => {
    const problems = problemsOf(
      withPeople(`  U012ABCDEF:
    notify: [{ via: sms }, { via: push }, { via: email }]
`),
    );
    expect(problems).toEqual([
      'people.U012ABCDEF.notify[0].via: sms needs a phone number: set people.U012ABCDEF.phone',
      'people.U012ABCDEF.notify[1].via: push needs a push topic: set people.U012ABCDEF.push_topic',
      'people.U012ABCDEF.notify[2].via: email needs an email address (or a key that is one): set people.U012ABCDEF.email',
    ]);
  });

  it('allows an `after` under a minute only with paging.allow_fast_escalation', () => {
    const fast = `  bob@acme.test:\n    notify: [{ via: slack }, { via: email, after: 20s }]\n`;
    expect(problemsOf(withPeople(fast))).toEqual([
      'people.bob@acme.test.notify[1].after: 20s is under one minute; set paging.allow_fast_escalation: true to allow it (tests and the sandbox)',
    ]);
    const allowed = base.replace(
      'default_policy: default',
      'default_policy: default\n  allow_fast_escalation: true',
    );
    expect(parseOncallConfig(`${allowed}people:\n${fast}`).people['bob@acme.test']!.notify[1]!.afterMs).toBe(
      20_000,
    );
  });
});

describe('providers of the channels', () => {
  const twilio = {
    TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
    TWILIO_AUTH_TOKEN: 'a-twilio-auth-token-of-32-chars!',
    TWILIO_FROM: '+15550001111',
  };

  it('come from the environment, each all-or-nothing', () => {
    const config = loadConfig({
      ...twilio,
      SMTP_URL: 'smtp://u:p@localhost:2525',
      EMAIL_FROM: 'pager@acme.test',
    });
    expect(config.providers).toEqual({
      email: { url: 'smtp://u:p@localhost:2525', from: 'pager@acme.test' },
      twilio: {
        accountSid: twilio.TWILIO_ACCOUNT_SID,
        authToken: twilio.TWILIO_AUTH_TOKEN,
        from: '+15550001111',
        apiUrl: 'https://api.twilio.com',
      },
      push: null,
    });
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: twilio.TWILIO_ACCOUNT_SID })).toThrow(
      'TWILIO_AUTH_TOKEN, TWILIO_FROM: are required with TWILIO_ACCOUNT_SID',
    );
    expect(() => loadConfig({ SMTP_URL: 'http://x' })).toThrow(
      'SMTP_URL: must be an smtp:// or smtps:// URL',
    );
  });

  it('a rule whose provider is not configured is an error naming the variables', () => {
    const { people } = parseOncallConfig(withPeople(bob));
    const problems = providerProblems(
      people,
      configuredChannels(loadConfig({ PUSH_URL: 'http://ntfy.local' }).providers),
    );
    expect(problems).toEqual([
      'people.bob@acme.test.notify[2].via: sms is not configured; set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM in the environment',
      'people.bob@acme.test.notify[3].via: voice is not configured; set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM in the environment',
      'people.bob@acme.test.notify[4].via: email is not configured; set SMTP_URL and EMAIL_FROM in the environment',
    ]);
  });

  it('npm run config:check fails on them, and passes once they are set (the auth token never printed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'people-'));
    const file = join(dir, 'oncall.yaml');
    writeFileSync(file, withPeople(bob));
    const run = (env: Record<string, string>) =>
      promisify(execFile)(
        `${root}node_modules/.bin/tsx`,
        [`${root}src/escalation/config-check-cli.ts`, file],
        {
          cwd: root,
          env: { ...process.env, ONCALL_CONFIG: '', ...env },
        },
      ).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const missing = await run({ PUSH_URL: 'http://ntfy.local' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('people.bob@acme.test.notify[2].via: sms is not configured');
    const complete = await run({
      ...twilio,
      PUSH_URL: 'http://ntfy.local',
      SMTP_URL: 'smtp://u:secret-pass@localhost:2525',
      EMAIL_FROM: 'pager@acme.test',
    });
    expect(complete.code).toBe(0);
    expect(complete.stdout + complete.stderr).not.toContain(twilio.TWILIO_AUTH_TOKEN);
    expect(complete.stdout + complete.stderr).not.toContain('secret-pass');
  }, 60_000);
});
