import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { AppError } from '../errors.js';

/** One Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES): BullMQ takes either. */
export type RedisConnection = Redis | Cluster;

/** REDIS_URL, or the seed nodes of REDIS_CLUSTER_NODES (the cluster tells the client the rest). */
export type RedisTarget = string | ReadonlyArray<{ host: string; port: number }>;

function connect(target: RedisTarget, options: RedisOptions & Pick<ClusterOptions, 'enableOfflineQueue'>) {
  if (typeof target === 'string') return new Redis(target, options);
  const { enableOfflineQueue, ...nodeOptions } = options;
  return new Cluster([...target], {
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    redisOptions: nodeOptions,
    // Failover: a replica takes over within the cluster's node timeout; keep asking meanwhile.
    clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
  });
}

/**
 * Producer connections (the web role) fail fast when Redis is down, so a Slack ack never waits on
 * Redis; the reconciler re-enqueues whatever a failed add missed.
 */
export function createProducerConnection(url: string, extra?: RedisOptions): Redis;
export function createProducerConnection(target: RedisTarget, extra?: RedisOptions): RedisConnection;
export function createProducerConnection(target: RedisTarget, extra: RedisOptions = {}): RedisConnection {
  return connect(target, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: false,
    ...extra,
  });
}

/** Worker connections wait out a Redis restart instead of failing: BullMQ requires this. */
export function createWorkerConnection(url: string, extra?: RedisOptions): Redis;
export function createWorkerConnection(target: RedisTarget, extra?: RedisOptions): RedisConnection;
export function createWorkerConnection(target: RedisTarget, extra: RedisOptions = {}): RedisConnection {
  return connect(target, { maxRetriesPerRequest: null, connectTimeout: 5000, ...extra });
}

/**
 * BullMQ loses jobs silently if Redis evicts keys under memory pressure; refuse to run on such a
 * Redis. On a cluster every node is asked, replicas too (a replica becomes a master on failover);
 * the client holds connections to masters only, so replicas get a short connection of their own.
 */
export async function assertNoEviction(redis: RedisConnection): Promise<void> {
  if (!(redis instanceof Cluster)) return assertNodeNoEviction(redis, '');
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', resolve);
      redis.once('error', reject);
    });
  }
  const masters = redis.nodes('master');
  const listing = String(await masters[0]!.call('CLUSTER', 'NODES'));
  for (const line of listing.trim().split('\n')) {
    // "<id> <ip:port@bus[,hostname]> <flags> …"
    const [, address = '', flags = ''] = line.split(' ');
    if (flags.includes('fail') || flags.includes('noaddr')) continue;
    const [host = '', port = ''] = address.split('@')[0]!.split(/:(?=\d+$)/);
    const known = masters.find((node) => node.options.port === Number(port) && node.options.host === host);
    const node =
      known ??
      new Redis({ ...redis.options.redisOptions, host, port: Number(port), maxRetriesPerRequest: 1 });
    try {
      await assertNodeNoEviction(node, ` on cluster node ${host}:${port}`);
    } finally {
      if (!known) node.disconnect();
    }
  }
}

async function assertNodeNoEviction(node: Redis, where: string): Promise<void> {
  const reply = (await node.call('CONFIG', 'GET', 'maxmemory-policy')) as unknown;
  const policy = Array.isArray(reply)
    ? String(reply[1])
    : String((reply as Record<string, unknown>)['maxmemory-policy']);
  if (policy !== 'noeviction') {
    throw new AppError(
      'config_invalid',
      `Redis maxmemory-policy is "${policy}"${where}; it must be "noeviction" or queued pages can be lost. ` +
        'Run `CONFIG SET maxmemory-policy noeviction` or start redis-server with --maxmemory-policy noeviction.',
    );
  }
}
