import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { writeOncallFile } from '../helpers/oncall-fixture.js';
import { createDatabase } from '../helpers/postgres-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `src/main.ts <role>` and returns how it ended; these runs must end by themselves. */
function runBot(env: Record<string, string>, role = 'all'): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', role], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('start-up refuses a bad configuration', () => {
  it('stops start:web and start:worker without Slack credentials with one clear line (only npm start is the sandbox)', async () => {
    const roles = ['web', 'worker'];
    const runs = await Promise.all(roles.map((role) => runBot({}, role)));
    runs.forEach(({ code, output }, i) => {
      expect(code).toBe(1);
      expect(output.trim().split('\n')).toEqual([
        `The ${roles[i]} role needs Slack credentials: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (and DATABASE_URL, REDIS_URL); only \`npm start\` runs the sandbox without them.`,
      ]);
    });
  }, 90_000);

  it('lists every bad environment variable at once', async () => {
    const { code, output } = await runBot({
      SLACK_BOT_TOKEN: 'xoxp-wrong',
      SLACK_SIGNING_SECRET: 'long-enough-secret',
      PORT: 'http',
    });
    expect(code).toBe(1);
    expect(output).toContain('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
    expect(output).toContain('PORT: must be a port number such as 3000');
    expect(output).toContain('DATABASE_URL: is required when Slack credentials are set');
  });

  it('will not run on an invalid oncall.yaml, and says every problem', async () => {
    const path = await writeOncallFile(
      [
        'schedules:',
        '  primary:',
        '    timezone: Mars/Olympus',
        '    rotation: { length: 1 week, handoff: "9am", start: 2026-11-02 }',
        '    participants: [alice@acme.test]',
        'escalation_policies:',
        '  default:',
        '    levels:',
        '      - { notify: [schedule:secndary], escalate_after: 5m }',
        'paging: { default_policy: default }',
      ].join('\n'),
    );
    const { code, output } = await runBot({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'long-enough-secret',
      DATABASE_URL: await createDatabase(inject('postgresAdminUrl')),
      REDIS_URL: inject('redisUrl'),
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      ONCALL_CONFIG: path,
      PORT: '0',
    });
    expect(code).toBe(1);
    expect(output).toContain('Mars/Olympus');
    expect(output).toContain('9am');
    expect(output).toContain('secndary');
  });
});
