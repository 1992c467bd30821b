import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chooseConfigFile, formatOnCallReport } from '../../../src/escalation/config-check.js';
import { loadOncallConfig, parseOncallConfig } from '../../../src/escalation/oncall-config.js';

const root = new URL('../../../', import.meta.url).pathname;
const examplePath = `${root}oncall.example.yaml`;

describe('which file config:check reads', () => {
  const choose = (arg: string | undefined, env: Record<string, string>, existing: string[]) =>
    chooseConfigFile({ arg, env, cwd: '/srv/bot', examplePath, exists: (path) => existing.includes(path) });

  it('prefers the file named on the command line', () => {
    expect(choose('team.yaml', { ONCALL_CONFIG: '/etc/oncall.yaml' }, ['/etc/oncall.yaml'])).toEqual({
      path: '/srv/bot/team.yaml',
      why: 'named on the command line',
    });
  });

  it('then ONCALL_CONFIG, which must exist because the bot would load it', () => {
    expect(choose(undefined, { ONCALL_CONFIG: '/etc/oncall.yaml' }, ['/etc/oncall.yaml'])).toEqual({
      path: '/etc/oncall.yaml',
      why: 'named by ONCALL_CONFIG',
    });
    expect(choose(undefined, { ONCALL_CONFIG: '/etc/oncall.yaml' }, [])).toEqual({
      error: 'ONCALL_CONFIG names /etc/oncall.yaml, which does not exist (the bot would not start either)',
    });
  });

  it('then ./oncall.yaml, then the shipped example, saying so', () => {
    expect(choose(undefined, {}, ['/srv/bot/oncall.yaml'])).toMatchObject({ path: '/srv/bot/oncall.yaml' });
    expect(choose(undefined, {}, [])).toEqual({
      path: examplePath,
      why: 'ONCALL_CONFIG is not set and ./oncall.yaml does not exist, so this is the shipped example',
    });
  });
});

describe('the on-call report', () => {
  it('shows, per schedule, who is on call now and who is next, in the schedule zone', async () => {
    const config = await loadOncallConfig(examplePath);
    expect(formatOnCallReport(config, new Date('2026-11-21T21:00:00Z'))).toBe(
      [
        '2 schedules, 1 escalation policy, 1 service.',
        '',
        'primary (America/New_York)',
        '  now:  carol@acme.test since Mon 16 Nov 2026 09:00 EST until Mon 23 Nov 2026 09:00 EST',
        '  next: dave@acme.test from Mon 23 Nov 2026 09:00 EST until Mon 30 Nov 2026 09:00 EST',
        '',
        'secondary (America/New_York)',
        '  now:  grace@acme.test since Mon 16 Nov 2026 09:00 EST until Mon 23 Nov 2026 09:00 EST',
        '  next: erin@acme.test from Mon 23 Nov 2026 09:00 EST until Mon 30 Nov 2026 09:00 EST',
        '',
        'SLO burn-rate alerts (npm run slo:rules): checkout.',
      ].join('\n'),
    );
  });

  it('shows what each schedule does at handoffs: its user group, team channel and notices', () => {
    const text = readFileSync(examplePath, 'utf8')
      .replace('# channel: C0123ABCDEF', 'channel: C0123ABCDEF')
      .replace('# slack_usergroup: checkout-oncall', 'slack_usergroup: checkout-oncall')
      .replace('# usergroup_members_always: [heidi@acme.test]', 'usergroup_members_always: [heidi@acme.test]')
      .replace('# notify_before: 1h', 'notify_before: 30m');
    const report = formatOnCallReport(parseOncallConfig(text), new Date('2026-11-21T21:00:00Z'));
    expect(report).toContain(
      [
        '  user group: @checkout-oncall (whoever is on call, plus heidi@acme.test)',
        '  handoff messages: in channel C0123ABCDEF',
        '  shift DMs: 30m before and at the start',
        '',
        'secondary (America/New_York)',
      ].join('\n'),
    );
  });

  it('says when nobody is on call yet', async () => {
    const config = await loadOncallConfig(examplePath);
    const report = formatOnCallReport(config, new Date('2026-10-01T00:00:00Z'));
    expect(report).toContain('  now:  nobody on call\n  next: alice@acme.test from Mon 2 Nov 2026 09:00 EST');
  });
});

describe('npx tsx src/escalation/config-check-cli.ts', () => {
  const run = (args: string[]) =>
    promisify(execFile)(
      `${root}node_modules/.bin/tsx`,
      [`${root}src/escalation/config-check-cli.ts`, ...args],
      {
        cwd: root,
        env: { ...process.env, ONCALL_CONFIG: '' },
      },
    ).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('validates a good file and prints the on-call report (exit 0)', async () => {
    const result = await run(['oncall.example.yaml', '--at', '2026-11-21T21:00:00Z']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Reading oncall.example.yaml (named on the command line).');
    expect(result.stdout).toContain('  now:  carol@acme.test since Mon 16 Nov 2026 09:00 EST');
  });

  it('prints every problem of a bad file and exits 1', async () => {
    const result = await run(['test/fixtures/oncall/unknown-references.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(3 problems)');
    expect(result.stderr).toContain('  - paging.default_policy: unknown escalation policy "standard"');
  });
});
