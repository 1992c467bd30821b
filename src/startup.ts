import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import { loadOncallConfig, type OncallConfig } from './escalation/oncall-config.js';
import type { OncallEnv } from './escalation/oncall-env.js';
import type { RedisConnection, RedisTarget } from './queue/redis.js';
import { withTimeout } from './with-timeout.js';

/** What `startBot` needs beyond the defaults (the sandbox fills these in when Slack is not configured). */
export interface BotSettings {
  databaseUrl: string;
  redisTarget: RedisTarget;
  botToken: string;
  signingSecret: string;
}

export function requireBotSettings(config: Config): BotSettings {
  const { botToken, signingSecret } = config.slack;
  const redisTarget = config.redisClusterNodes ?? config.redisUrl;
  if (!config.databaseUrl || !redisTarget || !botToken || !signingSecret) {
    throw new AppError(
      'config_invalid',
      'startBot needs DATABASE_URL, REDIS_URL, SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET',
    );
  }
  return { databaseUrl: config.databaseUrl, redisTarget, botToken, signingSecret };
}

/**
 * ONCALL_CONFIG when set, else `fallback` when that file exists, else none; `${VAR}` in it comes from
 * `env`. An invalid file throws.
 */
export async function loadOncall(
  path: string | undefined,
  fallback: string,
  env: OncallEnv,
): Promise<OncallConfig | null> {
  if (path) return loadOncallConfig(path, env);
  return existsSync(fallback) ? loadOncallConfig(fallback, env) : null;
}

export async function waitForRedis(redis: RedisConnection, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await withTimeout(new Promise<void>((resolve) => redis.once('ready', () => resolve())), timeoutMs).catch(
    () => {
      throw new AppError('queue_unavailable', `Redis at REDIS_URL did not answer within ${timeoutMs} ms`);
    },
  );
}

/**
 * What start-up opened, closed in reverse order by `close` (never throwing): the HTTP server and the
 * workers, added last, stop first, then the connections they used.
 */
export function createShutdown() {
  const closers: Array<() => Promise<unknown>> = [];
  return {
    add(close: () => Promise<unknown>): void {
      closers.push(close);
    },
    /** Stops accepting requests, then drops the open connections. */
    addServer(server: Server): void {
      closers.push(async () => {
        await new Promise((resolve) => server.close(resolve));
        server.closeAllConnections();
      });
    },
    async close(): Promise<void> {
      for (const close of closers.splice(0).reverse()) await close().catch(() => {});
    },
  };
}
