import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRedisServer } from '@incident-bot/local-slack';
import { freePort } from './free-port.js';

export interface RedisServer {
  port: number;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** A real redis-server on a free loopback port, configured as production must be (noeviction). */
export async function startRedisServer(
  extraArgs: string[] = [],
  options: { port?: number } = {},
): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'incident-bot-redis-'));
  const redis = await spawnRedisServer({
    port,
    dir,
    args: ['--save', '', '--appendonly', 'no', ...extraArgs],
  });
  return {
    port,
    pid: redis.pid,
    url: redis.url,
    async stop() {
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
