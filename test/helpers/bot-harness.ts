import {
  createSlackDriver,
  createSlackFake,
  type SlackDriver,
  type SlackFake,
} from '@incident-bot/local-slack';
import { inject } from 'vitest';
import { type Role, type RunningBot, startBot } from '../../src/bot.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { writeOncallFile } from './oncall-fixture.js';
import { createDatabase } from './postgres-server.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export interface People {
  alice: string;
  bob: string;
  carol: string;
}

export interface Harness {
  bot: RunningBot;
  fake: SlackFake;
  driver: SlackDriver;
  people: People;
  /** The public channel people type commands in. */
  generalId: string;
  /** INCIDENT_ANNOUNCE_CHANNEL. */
  announceId: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  role?: Role;
  databaseUrl?: string;
  redisUrl?: string;
  env?: Record<string, string>;
  /** Reuse a started local Slack (several bots against one Slack); see startSeededFake. */
  slack?: { fake: SlackFake; people: People };
  queuePrefix?: string;
  /**
   * oncall.yaml content (see `oncallFixture`); `{bob}`, `{carol}`, `{alice}` are replaced by the seeded
   * people's Slack ids.
   */
  oncallYaml?: string;
  /** The bot's clock (default: the system's); a shifted one puts the bot at another time of day. */
  clock?: Clock;
  /** Email against the SMTP fake's self-signed STARTTLS certificate: `{ rejectUnauthorized: false }`. */
  emailTls?: { rejectUnauthorized: boolean };
}

/**
 * A real bot (HTTP, Postgres, Redis, BullMQ workers) wired to the local Slack, with a fresh database
 * and its own queue prefix, and a driver that sends signed requests as Slack does.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const ownFake = !options.slack;
  const { fake, people } = options.slack ?? (await startSeededFake());
  const general = fake.getChannel('general')!;
  const announce =
    fake.getChannel('incidents') ?? fake.addChannel({ name: 'incidents', members: [people.alice] });
  const databaseUrl = options.databaseUrl ?? (await createDatabase(inject('postgresAdminUrl')));
  const redisUrl = options.redisUrl ?? inject('redisUrl');
  const queuePrefix = options.queuePrefix ?? `{ibt-${Math.random().toString(36).slice(2, 10)}}`;
  const oncallPath = options.oncallYaml ? await writeOncallFile(options.oncallYaml, people) : undefined;
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-sandbox-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PORT: '0',
    INCIDENT_ANNOUNCE_CHANNEL: announce.id,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(oncallPath ? { ONCALL_CONFIG: oncallPath } : {}),
    ...options.env,
  });
  const bot = await startBot({
    config,
    role: options.role ?? 'all',
    logger: createLogger({ level: config.logLevel }),
    queuePrefix,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.emailTls ? { emailTls: options.emailTls } : {}),
    host: '127.0.0.1',
    reconcileEveryMs: 300,
    outboxDeadlineMs: 1500,
    // A Slack call inside a database transaction fails, and stop() reports it.
    strictTransactions: true,
  });
  const driver = createSlackDriver({
    fake,
    appUrl: `${bot.url}/slack/events`,
    signingSecret: SIGNING_SECRET,
  });
  return {
    bot,
    fake,
    driver,
    people,
    generalId: general.id,
    announceId: announce.id,
    databaseUrl,
    redisUrl,
    queuePrefix,
    async stop() {
      await bot.stop();
      if (ownFake) await fake.stop();
      await assertNoSlackCallInTransaction(bot);
    },
  };
}

/** Fails a test file whose bot called Slack while a database transaction was open. */
async function assertNoSlackCallInTransaction(bot: RunningBot): Promise<void> {
  const { values } = await bot.metrics.slackCallsInTransaction.get();
  const calls = values.filter((v) => v.value > 0).map((v) => `${v.labels.method} ×${v.value}`);
  if (calls.length > 0) {
    throw new Error(`Slack was called inside a database transaction: ${calls.join(', ')}`);
  }
}

/** A started local Slack with three people, #general and #incidents. */
/** Shifts the local Slack's clock, so a test can post a message "ten minutes ago". */
export const slackClock = { offsetMs: 0, now: () => Date.now() + slackClock.offsetMs };

export async function startSeededFake(): Promise<{ fake: SlackFake; people: People }> {
  const fake = createSlackFake({ triggerIdTtlMs: 3000, clock: () => slackClock.now() });
  await fake.start();
  const alice = fake.addUser({
    name: 'alice',
    realName: 'Alice Reporter',
    email: 'alice@acme.test',
    tz: 'Europe/London',
  });
  const bob = fake.addUser({
    name: 'bob',
    realName: 'Bob Commander',
    email: 'bob@acme.test',
    tz: 'America/New_York',
  });
  const carol = fake.addUser({
    name: 'carol',
    realName: 'Carol Manager',
    email: 'carol@acme.test',
    tz: 'Asia/Kolkata',
  });
  const people = { alice: alice.id, bob: bob.id, carol: carol.id };
  fake.addChannel({ name: 'incidents', members: [people.alice] });
  return { fake, people };
}
