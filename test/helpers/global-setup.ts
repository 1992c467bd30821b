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
  const [postgres, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
  project.provide('postgresAdminUrl', postgres.url());
  project.provide('redisUrl', redis.url);
  return async () => {
    await Promise.all([postgres.destroy(), redis.stop()]);
  };
}
