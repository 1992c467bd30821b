import { Queue } from 'bullmq';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type SupervisedWorker, superviseWorker, WatchedWorker } from '../../src/jobs/worker-watchdog.js';
import { createLogger } from '../../src/logger.js';
import { createWorkerConnection, type RedisConnection } from '../../src/queue/redis.js';
import { waitFor } from '../helpers/wait-for.js';

const STALL_AFTER_MS = 6000;
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

interface Done {
  name: string;
  at: number;
  by: WatchedWorker;
}

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A real BullMQ queue and a supervised worker on the test Redis; jobs sleep `data.ms` if given. */
function start(options: { concurrency: number }) {
  const connection: RedisConnection = createWorkerConnection(inject('redisUrl'));
  const prefix = `{wd-${Math.random().toString(36).slice(2, 10)}}`;
  const queue = new Queue('watchdog', { connection, prefix });
  const done: Done[] = [];
  let replacedAt = 0;
  const supervised: SupervisedWorker = superviseWorker(
    () => {
      const worker: WatchedWorker = new WatchedWorker(
        'watchdog',
        async (job) => {
          await new Promise((resolve) => setTimeout(resolve, (job.data as { ms?: number }).ms ?? 0));
          done.push({ name: job.name, at: Date.now(), by: worker });
        },
        // Idle, it asks Redis every second or so (BullMQ's drainDelay), well inside the threshold.
        { connection, prefix, concurrency: options.concurrency, drainDelay: 1 },
      );
      return worker;
    },
    {
      logger,
      queue: 'watchdog',
      stallAfterMs: STALL_AFTER_MS,
      onReplace: () => {
        replacedAt = Date.now();
      },
    },
  );
  cleanups.push(
    () => supervised.close(5000),
    () => queue.close(),
    async () => connection.disconnect(),
  );
  const finished = (name: string) =>
    waitFor(() => done.find((d) => d.name === name), { timeoutMs: 60_000, what: `job ${name}` });
  return { queue, done, supervised, finished, replacedAt: () => replacedAt };
}

describe('the worker watchdog', () => {
  it('replaces a worker whose blocking connection never comes back, and the replacement runs the next job once', async () => {
    const { queue, done, supervised, finished, replacedAt } = start({ concurrency: 2 });
    await queue.add('before', {});
    await finished('before');
    const wedged = supervised.current;

    // The hang seen on Redis Cluster failover: the blocking connection drops, and the reconnect
    // BullMQ waits for never settles (ioredis orphans the promise of `connect()`).
    const client = (await wedged.getBackend().blockingClient) as unknown as {
      connect: () => Promise<void>;
      disconnect: () => void;
    };
    client.connect = () => new Promise<void>(() => {});
    client.disconnect();
    // Let the worker's loop reach the wedged wait first: a loop caught between its blocking wait and
    // the next fetch (on the main connection) would otherwise take the job itself on a busy machine.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await queue.add('after', {});

    const after = await finished('after');
    expect(supervised.replacements).toBe(1);
    expect(supervised.current).not.toBe(wedged);
    // The wedged worker never took it: it ran on the replacement, after the replacement.
    expect(after.by).toBe(supervised.current);
    expect(after.at).toBeGreaterThanOrEqual(replacedAt());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(done.map((d) => d.name)).toEqual(['before', 'after']);
  }, 90_000);

  it('leaves alone a worker that is idle, or busy with every slot for longer than the threshold', async () => {
    const { queue, done, supervised, finished } = start({ concurrency: 1 });
    const first = supervised.current;
    await queue.add('slow', { ms: STALL_AFTER_MS + 2000 });
    await finished('slow');
    // Then idle for longer than the threshold.
    await new Promise((resolve) => setTimeout(resolve, STALL_AFTER_MS + 2000));
    await queue.add('next', {});
    await finished('next');
    expect(supervised.replacements).toBe(0);
    expect(supervised.current).toBe(first);
    expect(done.map((d) => [d.name, d.by === first])).toEqual([
      ['slow', true],
      ['next', true],
    ]);
  }, 90_000);
});
