import { type JobsOptions, Queue } from 'bullmq';
import { type Clock, systemClock } from '../clock.js';
import type { RedisConnection } from '../queue/redis.js';
import { type QueueKey, QueueName } from './job.js';
import type { EnqueueRequest, JobEnqueuer } from './outbox.js';

/**
 * All queues share one hash-tagged prefix so BullMQ's multi-key scripts work on Redis Cluster.
 * Tests pass their own prefix to stay apart on one Redis.
 */
export const DEFAULT_QUEUE_PREFIX = '{incident-bot}';

export interface Queues extends JobEnqueuer {
  slack: Queue;
  timers: Queue;
  pages: Queue;
  close(): Promise<void>;
}

interface BatchedJob {
  name: string;
  data: unknown;
  opts: JobsOptions;
  /** A delayed job: its delay is counted from when the batch is sent. */
  dueAt?: Date;
}

/**
 * Adds jobs to `queue` in batches: the calls made before the event loop turns are sent as one
 * `addBulk` (one pipeline). Each call settles with its batch; a failed batch fails every call in it.
 * Every job has a deterministic id, so retrying them all is harmless.
 */
function batcher(queue: Queue, clock: Clock): (jobs: BatchedJob[]) => Promise<void> {
  let pending: { jobs: BatchedJob[]; settle: (error?: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    // Due times come from the bot's clock, so the delay is counted on it too.
    const now = clock.now().getTime();
    const jobs = batch.flatMap((call) =>
      call.jobs.map(({ name, data, opts, dueAt }) => {
        const delay = dueAt ? dueAt.getTime() - now : 0;
        return { name, data, opts: delay > 0 ? { ...opts, delay } : opts };
      }),
    );
    // A pipeline costs more to build than the one command a single job needs.
    const added =
      jobs.length === 1 ? queue.add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts) : queue.addBulk(jobs);
    added.then(
      () => {
        for (const call of batch) call.settle();
      },
      (error: unknown) => {
        for (const call of batch) call.settle(error);
      },
    );
  };
  return (jobs) => {
    if (jobs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ jobs, settle: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  };
}

/**
 * The three BullMQ queues. Everything enqueued in one turn of the event loop (under load, the follow-ups
 * of many escalation decisions) goes to Redis as one pipeline per queue. Postgres holds the truth, so
 * finished and failed jobs are removed: that lets the reconciler add the same id again.
 */
export function createQueues(
  connection: RedisConnection,
  prefix = DEFAULT_QUEUE_PREFIX,
  clock: Clock = systemClock,
): Queues {
  const slack = new Queue(QueueName.slack, { connection, prefix });
  const timers = new Queue(QueueName.timers, { connection, prefix });
  const pages = new Queue(QueueName.pages, { connection, prefix });
  const batches: Record<QueueKey, ReturnType<typeof batcher>> = {
    slack: batcher(slack, clock),
    timers: batcher(timers, clock),
    pages: batcher(pages, clock),
  };
  const toJob = (r: EnqueueRequest): BatchedJob => ({
    name: r.name,
    data: r.data,
    opts: { ...r.options, jobId: r.jobId, removeOnComplete: true, removeOnFail: true },
    ...(r.dueAt ? { dueAt: r.dueAt } : {}),
  });
  return {
    slack,
    timers,
    pages,
    async add(requests) {
      const byQueue: Record<QueueKey, BatchedJob[]> = { slack: [], timers: [], pages: [] };
      for (const request of requests) byQueue[request.queue].push(toJob(request));
      await Promise.all((Object.keys(byQueue) as QueueKey[]).map((queue) => batches[queue](byQueue[queue])));
    },
    async close() {
      await Promise.all([slack.close(), timers.close(), pages.close()]);
    },
  };
}
