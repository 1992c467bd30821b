import { type Job, type Processor, Worker, type WorkerOptions } from 'bullmq';
import type { Logger } from '../logger.js';
import { withTimeout } from '../with-timeout.js';

/**
 * A BullMQ worker that notes when it last asked Redis for work. BullMQ has no public liveness
 * signal, so this overrides the two protected steps every fetch goes through: a blocking wait
 * starts with `getBlockTimeout` (capped at 10 s, then BullMQ's own 1 s watchdog), and every fetch
 * calls `moveToActive`. A healthy worker with a free slot therefore passes here every ~11 s.
 */
export class WatchedWorker extends Worker {
  /** When the worker last started a wait or a fetch, or finished a job (ms since the epoch). */
  readonly progress: { at: number; active: number };

  constructor(name: string, processor: Processor, opts: WorkerOptions) {
    const progress = { at: Date.now(), active: 0 };
    const tracked: Processor = async (job: Job, token?: string, signal?: AbortSignal) => {
      progress.active++;
      try {
        return await processor(job, token, signal);
      } finally {
        progress.active--;
        progress.at = Date.now();
      }
    };
    // Started below: the overrides read `progress`, which exists only once super() has returned.
    super(name, tracked, { ...opts, autorun: false });
    this.progress = progress;
    if (opts.autorun !== false) this.run().catch((error: unknown) => this.emit('error', error as Error));
  }

  protected override getBlockTimeout(blockUntil: number): number {
    this.progress.at = Date.now();
    return super.getBlockTimeout(blockUntil);
  }

  protected override moveToActive(token: string, name?: string): Promise<Job> {
    this.progress.at = Date.now();
    return super.moveToActive(token, name);
  }
}

export interface WatchdogOptions {
  logger: Logger;
  /** Names the worker in logs. */
  queue: string;
  /**
   * A worker with a free slot that has neither asked Redis for a job nor finished one for this long
   * is stuck (default 20 s: a healthy one asks every ~11 s, and retries 5 s after a connection
   * error, see `runRetryDelay` in workers.ts). Doubles after each replacement that did not help
   * (up to 8×), so a long Redis outage replaces it a few times, not every 20 s.
   */
  stallAfterMs?: number;
  /** Called when a stuck worker is replaced (metrics). */
  onReplace?: () => void;
}

export interface SupervisedWorker {
  /** The worker that runs now. */
  readonly current: WatchedWorker;
  /** How many stuck workers were replaced. */
  readonly replacements: number;
  /** Stops watching; closes the worker, letting active jobs finish within the deadline. */
  close(deadlineMs: number): Promise<void>;
}

export const DEFAULT_STALL_AFTER_MS = 20_000;
const MAX_BACKOFF = 8;
/** How long a replaced worker gets to close before its blocking connection is just dropped. */
const RETIRE_MS = 5_000;

/**
 * Runs `create()`'s worker and replaces it when it stops fetching jobs. ioredis can leave a
 * worker's blocking connection "ready" while BullMQ waits forever on a reconnect that will never
 * settle (seen on Redis Cluster failover: `Cluster.connect()`'s promise is orphaned when its ready
 * check fails mid-failover; bullmq#3088, #3185), so the connection's status cannot tell; only the
 * absence of fetches can. The replacement opens its own blocking connection; the old worker is
 * closed without waiting for its jobs (their locks lapse and they are retried, and every job is
 * idempotent).
 */
export function superviseWorker(create: () => WatchedWorker, options: WatchdogOptions): SupervisedWorker {
  const { logger, queue } = options;
  const baseStallMs = options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
  let current = create();
  let startedAt = Date.now();
  let stallMs = baseStallMs;
  let replacements = 0;
  const retiring = new Set<Promise<void>>();

  const retire = (worker: WatchedWorker, deadlineMs: number, graceful: boolean) => {
    const closing = withTimeout(worker.close(!graceful), deadlineMs)
      .catch(async (error: unknown) => {
        logger.warn({ queue, err: error }, 'worker did not close in time; dropping its blocking connection');
        await worker.getBackend().disconnectBlocking(false);
      })
      .catch(() => {})
      .finally(() => retiring.delete(closing));
    retiring.add(closing);
    return closing;
  };

  const check = () => {
    const worker = current;
    const { at, active } = worker.progress;
    if (at > startedAt) stallMs = baseStallMs;
    const quietMs = Date.now() - at;
    if (active >= worker.concurrency || quietMs < stallMs || !worker.isRunning()) return;
    logger.warn(
      { queue, quietMs, active },
      'worker stuck: it has not asked Redis for a job for a while; replacing it',
    );
    replacements++;
    current = create();
    startedAt = Date.now();
    stallMs = Math.min(stallMs * 2, baseStallMs * MAX_BACKOFF);
    options.onReplace?.();
    void retire(worker, RETIRE_MS, false);
  };
  const timer = setInterval(check, Math.max(baseStallMs / 5, 100));
  timer.unref();

  return {
    get current() {
      return current;
    },
    get replacements() {
      return replacements;
    },
    async close(deadlineMs) {
      clearInterval(timer);
      await Promise.all([retire(current, deadlineMs, true), ...retiring]);
    },
  };
}
