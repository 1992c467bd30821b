import { ALERTMANAGER, CHROMIUM, ensurePrograms, PROMTOOL, REDIS_SERVER } from '@incident-bot/local-slack';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './postgres-server.js';
import { startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    redisUrl: string;
  }
}

/** One real Postgres and one real Redis for the whole run; each test file takes its own database and queue prefix. */
export default async function setup(project: TestProject) {
  // redis-server for every integration test: without it nothing can run.
  ensurePrograms([REDIS_SERVER], { why: 'npm test' });
  // Chromium only for the browser test (CHROMIUM_PATH names another): installed here when we can;
  // when we cannot, that one test fails and says how, and every other test still runs.
  if (!process.env.CHROMIUM_PATH) {
    try {
      ensurePrograms([CHROMIUM], { why: 'The browser test' });
    } catch {
      // reported by test/browser/sandbox-journey.test.ts
    }
  }
  // promtool (Debian's prometheus package) only for the SLO rules test, likewise.
  try {
    ensurePrograms([PROMTOOL], { why: 'The SLO rules test' });
  } catch {
    // reported by test/integration/slo-rules.test.ts
  }
  // Alertmanager (Debian's prometheus-alertmanager) only for the end-to-end alert test, likewise.
  try {
    ensurePrograms([ALERTMANAGER], { why: 'The Alertmanager end-to-end test' });
  } catch {
    // reported by test/integration/alertmanager-e2e.test.ts
  }
  const [postgres, redis] = await startServers();
  project.provide('postgresAdminUrl', postgres.url());
  project.provide('redisUrl', redis.url);
  return async () => {
    await Promise.all([postgres.destroy(), redis.stop()]);
  };
}

/**
 * Postgres and Redis for the run, or one plain line per cause and exit 1: a failure here would
 * otherwise end `npm test` right after "RUN" with a stack trace of our launcher, or with nothing.
 */
async function startServers() {
  const [postgres, redis] = await Promise.allSettled([startPostgresServer(), startRedisServer()]);
  if (postgres.status === 'fulfilled' && redis.status === 'fulfilled')
    return [postgres.value, redis.value] as const;
  if (postgres.status === 'fulfilled') await postgres.value.destroy();
  if (redis.status === 'fulfilled') await redis.value.stop();
  for (const [what, result] of [
    ['Postgres', postgres],
    ['Redis', redis],
  ] as const) {
    if (result.status === 'rejected') {
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      console.error(`npm test: could not start ${what}: ${reason}`);
    }
  }
  process.exit(1);
}
