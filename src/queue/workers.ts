import { type Job, Worker } from 'bullmq';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import { QueueName, type Queues, RECONCILE_EVERY_MS, slackJobSchema, timerJobSchema } from './queues.js';
import type { RedisConnection } from './redis.js';

export interface WorkerDeps {
  connection: RedisConnection;
  prefix: string;
  queues: Queues;
  metrics: Metrics;
  logger: Logger;
  /** Runs an incident's Slack set-up; see slack/incident-setup.ts. */
  runIncidentSetup(incidentId: number, options: { mayRepeat: boolean; finalAttempt: boolean }): Promise<void>;
  /** Finds work the database says is due but Redis may not know about, and enqueues it. */
  reconcile(): Promise<void>;
  /** Paging: null when no oncall.yaml is configured. */
  paging: {
    fireStep(timer: { incidentId: number; epoch: number; step: number; loop: number }): Promise<unknown>;
    fireAckTimeout(timer: { incidentId: number; epoch: number }): Promise<unknown>;
    /** `mayRepeat`: an earlier run of this job may have sent the DM and died before recording it. */
    sendPage(pageId: number, options: { mayRepeat: boolean }): Promise<void>;
    announceAcknowledged(incidentId: number): Promise<void>;
    announceExhausted(incidentId: number): Promise<void>;
  } | null;
  /** Running incidents: headline refreshes, updates, reminders (absent in benchmarks of paging alone). */
  lifecycle?: {
    refresh(incidentId: number): Promise<void>;
    postUpdate(incidentId: number, text: string, by: string): Promise<void>;
    sendReminder(incidentId: number): Promise<void>;
    fireReminder(incidentId: number, epoch: number): Promise<unknown>;
    publishPostmortem(incidentId: number, by: string): Promise<void>;
    archive(incidentId: number, closedAtMs: number): Promise<void>;
  };
  reconcileEveryMs?: number;
}

export interface Workers {
  close(deadlineMs?: number): Promise<void>;
}

export async function startWorkers(deps: WorkerDeps): Promise<Workers> {
  const { connection, prefix, metrics, logger } = deps;

  const slackWorker = new Worker(
    QueueName.slack,
    async (job: Job) => {
      const parsed = slackJobSchema.parse({ name: job.name, data: job.data });
      const attempts = job.opts.attempts ?? 1;
      switch (parsed.name) {
        case 'incident.refresh':
          return deps.lifecycle?.refresh(parsed.data.incidentId);
        case 'incident.update_posted':
          return deps.lifecycle?.postUpdate(parsed.data.incidentId, parsed.data.text, parsed.data.by);
        case 'incident.archive':
          return deps.lifecycle?.archive(parsed.data.incidentId, parsed.data.closedAtMs);
        case 'postmortem.publish':
          return deps.lifecycle?.publishPostmortem(parsed.data.incidentId, parsed.data.by);
        case 'reminder.send':
          return deps.lifecycle?.sendReminder(parsed.data.incidentId);
        case 'page.send':
          return deps.paging?.sendPage(parsed.data.pageId, {
            mayRepeat: parsed.data.mayRepeat === true || job.attemptsStarted > 1 || job.attemptsMade > 0,
          });
        case 'escalation.acknowledged':
          return deps.paging?.announceAcknowledged(parsed.data.incidentId);
        case 'escalation.exhausted':
          return deps.paging?.announceExhausted(parsed.data.incidentId);
        case 'incident.setup':
          await deps.runIncidentSetup(parsed.data.incidentId, {
            mayRepeat: job.attemptsMade > 0 || parsed.data.fromReconciler === true,
            finalAttempt: job.attemptsMade + 1 >= attempts,
          });
          return;
      }
    },
    // Locks are renewed while a job runs (even while a 429 waits), so a short lock only shortens how
    // long a crashed worker's job waits before another worker takes it.
    {
      connection,
      prefix,
      concurrency: 8,
      autorun: true,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 3,
    },
  );

  const timersWorker = new Worker(
    QueueName.timers,
    async (job: Job) => {
      const parsed = timerJobSchema.parse({ name: job.name, data: job.data });
      switch (parsed.name) {
        case 'reconcile':
          return deps.reconcile();
        case 'reminder.fire':
          return deps.lifecycle?.fireReminder(parsed.data.incidentId, parsed.data.epoch);
        case 'escalation.step':
          return deps.paging?.fireStep(parsed.data);
        case 'escalation.ack_timeout':
          return deps.paging?.fireAckTimeout(parsed.data);
      }
    },
    // Timer jobs are one short transaction each: a crashed worker's job is picked up again within
    // about 10 s instead of BullMQ's default minute. They mostly wait for Postgres, and escalation
    // decisions that wait together are applied in one statement (escalation-service.ts), so 50 at
    // once cost no more connections than 20 and keep a burst of timers from queueing in Redis.
    {
      connection,
      prefix,
      concurrency: 50,
      autorun: true,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 3,
    },
  );

  for (const [queue, worker] of [
    [QueueName.slack, slackWorker],
    [QueueName.timers, timersWorker],
  ] as const) {
    worker.on('completed', (job) => metrics.jobs.inc({ queue, name: job.name, outcome: 'completed' }));
    worker.on('failed', (job, error) => {
      metrics.jobs.inc({ queue, name: job?.name ?? 'unknown', outcome: 'failed' });
      logger.warn({ queue, job: job?.id, attemptsMade: job?.attemptsMade, err: error }, 'job failed');
    });
    worker.on('error', (error) => logger.error({ queue, err: error }, 'worker error'));
  }

  // The reconciler is itself idempotent, so one scheduler shared by every worker process is enough.
  // The scheduler lives in Redis, so a Redis that lost its data has none: every worker re-upserts it
  // on reconnect and every few periods (an upsert of the same id is a no-op).
  const every = deps.reconcileEveryMs ?? RECONCILE_EVERY_MS;
  const ensureScheduler = () =>
    deps.queues.timers.upsertJobScheduler(
      'reconcile',
      { every },
      { name: 'reconcile', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  await ensureScheduler();
  const keepScheduler = () => {
    ensureScheduler().catch((error) =>
      logger.warn({ err: error }, 'could not ensure the reconciler schedule'),
    );
  };
  const schedulerTimer = setInterval(keepScheduler, Math.max(every * 4, 1000));
  schedulerTimer.unref();
  connection.on('ready', keepScheduler);

  return {
    /** Finishes active jobs within the deadline; what is left is handed back to Redis as stalled. */
    async close(deadlineMs = 10_000) {
      clearInterval(schedulerTimer);
      connection.off('ready', keepScheduler);
      const graceful = Promise.all([slackWorker.close(), timersWorker.close()]);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, deadlineMs, 'timeout').unref());
      if ((await Promise.race([graceful, timeout])) === 'timeout') {
        logger.warn('workers did not finish within the deadline; closing forcefully');
        await Promise.all([slackWorker.close(true), timersWorker.close(true)]);
      }
    },
  };
}
