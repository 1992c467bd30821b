import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { batched } from '../db/batched.js';
import type { Pool } from '../db/pool.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { RedisConnection } from '../queue/redis.js';
import { jobCatalogue } from './catalogue.js';
import { coverExpiryJob } from './cover-expiry.js';
import { type JobDefinition, type JobDeps, type QueueKey, QueueName } from './job.js';
import { findOutboxRows, markOutboxRowsDone } from './outbox-repo.js';
import { OVERRIDES_RETENTION_EVERY_MS, overridesRetentionJob } from './overrides-retention.js';
import type { Queues } from './queues.js';
import { reconcileJob } from './reconcile.js';
import { retentionJob } from './retention.js';
import { superviseWorker, WatchedWorker } from './worker-watchdog.js';

export const RECONCILE_EVERY_MS = 15_000;
export const RETENTION_EVERY_MS = 3_600_000;

export interface WorkerDeps {
  connection: RedisConnection;
  prefix: string;
  queues: Queues;
  pool: Pool;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** What handlers call. */
  jobs: JobDeps;
  /** Defaults to every job (benchmarks may pass fewer). */
  catalogue?: ReadonlyMap<string, JobDefinition>;
  reconcileEveryMs?: number;
  /** How often the retention sweep runs (default hourly). */
  retentionEveryMs?: number;
  /** When a worker that fetches no jobs counts as stuck (worker-watchdog.ts; default 20 s). */
  stallAfterMs?: number;
}

export interface Workers {
  close(deadlineMs?: number): Promise<void>;
}

const outboxData = z.object({ key: z.string().min(1) });

/** A coalescing row renewed while its job ran is run again at once, this many times at most. */
const MAX_ROUNDS = 5;

/**
 * One worker per queue; each dispatches by job name through the catalogue. An outbox job reads its
 * row (the payload is there), skips a row already done, runs, and marks the generation it ran done.
 */
export async function startWorkers(deps: WorkerDeps): Promise<Workers> {
  const { connection, prefix, metrics, logger, pool, clock } = deps;
  const catalogue = deps.catalogue ?? jobCatalogue;
  // Jobs that read or finish their rows at the same time share one statement (group commit, as the
  // escalation engine does): under a burst that is one round trip instead of one per job.
  const group = { maxInFlight: 2, overlapAfterMs: 50, maxBatch: 100 };
  const findRow = batched((keys: string[]) => findOutboxRows(pool, keys), { ...group, key: (key) => key });
  const markDone = batched(
    (runs: { key: string; generation: number }[]) => markOutboxRowsDone(pool, runs, clock.now()),
    { ...group, key: (r) => r.key },
  );

  async function run(job: Job): Promise<unknown> {
    const definition = catalogue.get(job.name);
    if (!definition) throw new Error(`no job named "${job.name}" in the catalogue`);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const retried = job.attemptsMade > 0 || job.attemptsStarted > 1;
    if (definition.durability === 'state') {
      const payload = definition.payload.parse(job.data);
      return definition.handle(deps.jobs, payload, { mayRepeat: retried, finalAttempt, key: job.id ?? '' });
    }
    const { key } = outboxData.parse(job.data);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const row = await findRow(key);
      if (!row || row.doneAt) return;
      const payload = definition.payload.parse(row.payload);
      await definition.handle(deps.jobs, payload, {
        mayRepeat: retried || row.dispatches > 1 || round > 0,
        finalAttempt,
        key,
      });
      if (await markDone({ key, generation: row.generation })) return;
    }
    // Renewed on every round: the reconciler picks it up again at its deadline.
  }

  const settings = {
    connection,
    prefix,
    autorun: true,
    // Locks are renewed while a job runs (even while a 429 waits), so a short lock only shortens how
    // long a crashed worker's job waits before another worker takes it.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    maxStalledCount: 3,
    // After a connection error BullMQ waits this long before fetching again (default 15 s); the
    // watchdog's stall threshold is counted above it.
    runRetryDelay: 5_000,
  };
  // Timer jobs are one short transaction each. They mostly wait for Postgres, and escalation
  // decisions that wait together are applied in one statement (escalation-service.ts), so 50 at
  // once cost no more connections than 20 and keep a burst of timers from queueing in Redis.
  // Page DMs have their own worker (and Slack client): a cosmetic job waiting out a 429 holds none
  // of its slots.
  const concurrency: Record<QueueKey, number> = { slack: 8, timers: 50, pages: 8 };
  const startWorker = (queue: QueueKey) => {
    const worker = new WatchedWorker(QueueName[queue], run, { ...settings, concurrency: concurrency[queue] });
    worker.on('completed', (job) =>
      metrics.jobs.inc({ queue: QueueName[queue], name: job.name, outcome: 'completed' }),
    );
    worker.on('failed', (job, error) => {
      metrics.jobs.inc({ queue: QueueName[queue], name: job?.name ?? 'unknown', outcome: 'failed' });
      logger.warn({ queue, job: job?.id, attemptsMade: job?.attemptsMade, err: error }, 'job failed');
    });
    worker.on('error', (error) => logger.error({ queue, err: error }, 'worker error'));
    return worker;
  };
  // A worker that stops fetching jobs (a known BullMQ/ioredis reconnect hang) is replaced.
  const workers = (Object.keys(QueueName) as QueueKey[]).map((queue) =>
    superviseWorker(() => startWorker(queue), {
      logger,
      queue,
      onReplace: () => metrics.workerReplacements.inc({ queue: QueueName[queue] }),
      ...(deps.stallAfterMs ? { stallAfterMs: deps.stallAfterMs } : {}),
    }),
  );

  // The reconciler and the retention sweep are idempotent, so one scheduler each, shared by every
  // worker process, is enough. Schedulers live in Redis, so a Redis that lost its data has none:
  // every worker re-upserts them on reconnect and every few periods (an upsert of the same id is a no-op).
  const every = deps.reconcileEveryMs ?? RECONCILE_EVERY_MS;
  const scheduled = [
    { job: reconcileJob, every },
    { job: retentionJob, every: deps.retentionEveryMs ?? RETENTION_EVERY_MS },
    { job: overridesRetentionJob, every: OVERRIDES_RETENTION_EVERY_MS },
    // Cover requests expire at their start: checked as often as the reconciler runs.
    { job: coverExpiryJob, every },
  ].filter(({ job }) => catalogue.has(job.name));
  const ensureScheduler = () =>
    Promise.all(
      scheduled.map(({ job, every }) =>
        deps.queues.timers.upsertJobScheduler(
          job.key({}),
          { every },
          { name: job.name, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
        ),
      ),
    );
  await ensureScheduler();
  const keepScheduler = () => {
    ensureScheduler().catch((error) => logger.warn({ err: error }, 'could not ensure the job schedules'));
  };
  const schedulerTimer = setInterval(keepScheduler, Math.max(every * 4, 1000));
  schedulerTimer.unref();
  connection.on('ready', keepScheduler);

  return {
    /** Finishes active jobs within the deadline; what is left is handed back to Redis as stalled. */
    async close(deadlineMs = 10_000) {
      clearInterval(schedulerTimer);
      connection.off('ready', keepScheduler);
      await Promise.all(workers.map((w) => w.close(deadlineMs)));
    },
  };
}
