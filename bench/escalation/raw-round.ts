/**
 * The escalation bench's baseline: plain BullMQ delayed jobs on a Worker with the timer worker's
 * settings, fed the shape of work the engine gets (one chain per escalation, one job per level).
 */
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Cleanups } from './phase-meter.js';
import { forEachLimited, type PhaseReading, startPhaseMeter } from './phase-meter.js';

/** What a round needs to know of the bench's options. */
export interface ChainShape {
  /** Delay before each job after the first (the last entry is not used). */
  delaysMs: number[];
  startConcurrency: number;
  timeoutSec: number;
}

export interface RawJobData {
  round: number;
  chain: number;
  step: number;
  /** Epoch ms: add time + delay. */
  dueAt: number;
}

export interface RawResult {
  chains: number;
  seconds: number;
  lateness: number[];
  byLevel: number[][];
  missing: number;
  addFailures: number;
  cpu: PhaseReading;
}

export interface RawRig {
  redis: Redis;
  queue: Queue;
  /** Set by the current round: called by the processor for every job. */
  onJob: ((data: RawJobData, startedAt: number) => Promise<void>) | null;
}

const RAW_JOB_OPTIONS = { attempts: 10, removeOnComplete: true, removeOnFail: true } as const;

function addRawJob(queue: Queue, data: Omit<RawJobData, 'dueAt'>, delayMs: number): Promise<unknown> {
  const addedAt = Date.now();
  return queue.add(
    'raw.step',
    { ...data, dueAt: addedAt + delayMs },
    { ...RAW_JOB_OPTIONS, jobId: `raw-${data.round}-${data.chain}-s${data.step}`, delay: delayMs },
  );
}

export async function runRawRound(
  rig: RawRig,
  round: number,
  chains: number,
  options: ChainShape,
): Promise<RawResult> {
  const levels = options.delaysMs.length;
  const byLevel: number[][] = options.delaysMs.map(() => []);
  const lateness: number[] = [];
  let addFailures = 0;
  let processed = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  rig.onJob = async (data, startedAt) => {
    if (data.round !== round) return;
    lateness.push(startedAt - data.dueAt);
    byLevel[data.step]!.push(startedAt - data.dueAt);
    processed += 1;
    if (data.step + 1 < levels) {
      await addRawJob(
        rig.queue,
        { round, chain: data.chain, step: data.step + 1 },
        options.delaysMs[data.step]!,
      );
    }
    if (processed === chains * levels) allDone();
  };
  const meter = await startPhaseMeter(rig.redis);
  const t0 = performance.now();
  const failures = await forEachLimited(
    Array.from({ length: chains }, (_, i) => i),
    options.startConcurrency,
    async (chain) => {
      await addRawJob(rig.queue, { round, chain, step: 0 }, 0);
    },
  );
  addFailures = failures.length;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    done,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeoutSec * 1000);
    }),
  ]);
  clearTimeout(timer);
  const seconds = (performance.now() - t0) / 1000;
  rig.onJob = null;
  return {
    chains,
    seconds,
    lateness,
    byLevel,
    missing: chains * levels - processed,
    addFailures,
    cpu: await meter(),
  };
}

const RAW_QUEUE = 'bench-raw-delayed';

/** A queue of its own and a plain Worker with the timer worker's settings (src/jobs/workers.ts) that only takes the time. */
export async function startRawRig(options: {
  producer: Redis;
  connection: Redis;
  prefix: string;
  concurrency: number;
  cleanups: Cleanups;
  log(line: string): void;
}): Promise<RawRig> {
  const { producer, connection, prefix, cleanups } = options;
  const queue = new Queue(RAW_QUEUE, { connection: producer, prefix });
  cleanups.push(['raw queue', () => queue.close()]);
  const rig: RawRig = { redis: producer, queue, onJob: null };
  const worker = new Worker(
    RAW_QUEUE,
    async (job: Job<RawJobData>) => {
      const startedAt = Date.now();
      await rig.onJob?.(job.data, startedAt);
    },
    {
      connection,
      prefix,
      concurrency: options.concurrency,
      autorun: true,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => options.log(`raw worker error: ${error.message}`));
  cleanups.push(['raw worker', () => worker.close()]);
  await worker.waitUntilReady();
  return rig;
}
