import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSlackFake, freePort, type SlackFake } from '@incident-bot/local-slack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../helpers/postgres-server.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOCAL_SLACK = '@incident-bot/local-slack';

/**
 * What the production image holds: `npm run build`'s dist/, the migrations, and the dependencies of
 * `npm ci --omit=dev`, which leaves out the dev-only local Slack workspace. Here node_modules links every
 * installed package except that one, so the bot's own build runs without it.
 */
let app: string;
let fake: SlackFake;
let redis: RedisServer;
const running: ChildProcess[] = [];

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'incident-bot-production-'));
  const modules = join(app, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === LOCAL_SLACK.split('/')[0] || entry === '.bin') continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  cpSync(join(ROOT, 'migrations'), join(app, 'migrations'), { recursive: true });
  const build = run(
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      join(app, 'dist'),
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } },
  );
  expect(await build.exited, build.output()).toBe(0);
  fake = createSlackFake();
  await fake.start(0, '127.0.0.1');
  redis = await startRedisServer();
}, 180_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await fake?.stop();
  await redis?.stop();
  if (app) rmSync(app, { recursive: true, force: true });
});

function run(args: string[], options: { cwd: string; env: Record<string, string> }) {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal ?? -1)),
  );
  return { child, exited, output: () => output };
}

describe('a production install (no local Slack package)', () => {
  it('holds the build and its runner but not the local Slack', () => {
    expect(existsSync(join(app, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/@slack/bolt'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', LOCAL_SLACK))).toBe(false);
  });

  it.each(['web', 'worker'] as const)(
    'runs `node dist/main.js %s` against Slack and stops cleanly',
    async (role) => {
      const port = await freePort();
      const bot = run(['dist/main.js', role], {
        cwd: app,
        env: {
          PATH: process.env.PATH ?? '',
          SLACK_BOT_TOKEN: fake.config.botToken,
          SLACK_SIGNING_SECRET: 'production-signing-secret-0123',
          SLACK_API_URL: fake.apiUrl,
          DATABASE_URL: await createDatabase(inject('postgresAdminUrl')),
          REDIS_URL: redis.url,
          PORT: String(port),
        },
      });
      const health = await waitFor(
        async () => {
          if (bot.child.exitCode !== null) throw new Error(`it exited:\n${bot.output()}`);
          const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
          return res?.ok ? res.json() : null;
        },
        { timeoutMs: 60_000, what: `the ${role} role to serve /healthz` },
      );
      expect(health).toEqual({ status: 'ok', role });
      bot.child.kill('SIGTERM');
      expect(await bot.exited, bot.output()).toBe(0);
    },
    90_000,
  );

  it('says plainly, without a stack trace, that the sandbox needs the local Slack', async () => {
    const bot = run(['dist/main.js', 'all'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0' },
    });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('no Slack credentials and the local Slack is not installed');
    expect(bot.output()).toContain('npm start');
    expect(bot.output()).not.toMatch(/ERR_MODULE_NOT_FOUND|\n\s+at /);
  }, 60_000);
});
