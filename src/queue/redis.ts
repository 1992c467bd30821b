import { Redis, type RedisOptions } from 'ioredis';
import { AppError } from '../errors.js';

/**
 * Producer connections (the web role) fail fast when Redis is down, so a Slack ack never waits on
 * Redis; the reconciler re-enqueues whatever a failed add missed.
 */
export function createProducerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: false,
    ...extra,
  });
}

/** Worker connections wait out a Redis restart instead of failing: BullMQ requires this. */
export function createWorkerConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 5000, ...extra });
}

/** BullMQ loses jobs silently if Redis evicts keys under memory pressure; refuse to run on such a Redis. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as unknown;
  const policy = Array.isArray(reply)
    ? String(reply[1])
    : String((reply as Record<string, unknown>)['maxmemory-policy']);
  if (policy !== 'noeviction') {
    throw new AppError(
      'config_invalid',
      `Redis maxmemory-policy is "${policy}"; it must be "noeviction" or queued pages can be lost. ` +
        'Run `CONFIG SET maxmemory-policy noeviction` or start redis-server with --maxmemory-policy noeviction.',
    );
  }
}
