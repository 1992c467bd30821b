import { createSlackDriver } from '@incident-bot/local-slack';
import { SIGNING_SECRET, startSeededFake } from './bot-harness.js';
import { type BotProcess, startBotProcess } from './bot-process.js';
import { createDatabase } from './postgres-server.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

type SeededSlack = Awaited<ReturnType<typeof startSeededFake>>;

/**
 * The bot as separate OS processes, as production runs it: its own Redis, a seeded local Slack and a
 * fresh database; `start` runs a role (web, worker) on them, `stop` kills every process it started.
 */
export interface ProcessStack {
  redis: RedisServer;
  slack: SeededSlack;
  databaseUrl: string;
  /** What each process gets: Slack settings pointing at the local Slack, Postgres, Redis, and `extra`. */
  env: Record<string, string>;
  processes: BotProcess[];
  start(role: 'web' | 'worker'): Promise<BotProcess>;
  /** Signed requests to a web process, as Slack sends them. */
  driverFor(web: BotProcess): ReturnType<typeof createSlackDriver>;
  stop(): Promise<void>;
}

export async function startProcessStack(
  adminUrl: string,
  extra: (slack: SeededSlack) => Promise<Record<string, string>> | Record<string, string> = () => ({}),
): Promise<ProcessStack> {
  const [redis, slack, databaseUrl] = await Promise.all([
    startRedisServer(),
    startSeededFake(),
    createDatabase(adminUrl),
  ]);
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-sandbox-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.fake.apiUrl,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    ...(await extra(slack)),
  };
  const processes: BotProcess[] = [];
  return {
    redis,
    slack,
    databaseUrl,
    env,
    processes,
    async start(role) {
      const started = await startBotProcess(role, env);
      processes.push(started);
      return started;
    },
    driverFor: (web) =>
      createSlackDriver({
        fake: slack.fake,
        appUrl: `${web.url}/slack/events`,
        signingSecret: SIGNING_SECRET,
      }),
    async stop() {
      for (const p of processes) p.kill('SIGKILL');
      await Promise.all(processes.map((p) => p.exited));
      await Promise.all([redis.stop(), slack.fake.stop()]);
    },
  };
}
