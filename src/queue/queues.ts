import { type JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';
import type { EscalationJobs } from '../escalation/escalation-service.js';
import { ackTimeoutJobId, stepJobId } from '../escalation/escalation-steps.js';
import type { LifecycleFollowUps } from '../incidents/lifecycle-service.js';
import type { Logger } from '../logger.js';
import type { RedisConnection } from './redis.js';

/**
 * All queues share one hash-tagged prefix so BullMQ's multi-key scripts work on Redis Cluster.
 * Tests pass their own prefix to stay apart on one Redis.
 */
export const DEFAULT_QUEUE_PREFIX = '{incident-bot}';

export const QueueName = {
  /** Everything that talks to Slack: retried with backoff, may be slow under 429s. */
  slack: 'slack-sends',
  /** Short database jobs that must stay on time: reconciler, later escalation timers. */
  timers: 'timers',
} as const;

const incidentRef = z.object({ incidentId: z.number().int().positive() });

export const slackJobSchema = z.discriminatedUnion('name', [
  z.object({
    name: z.literal('page.send'),
    data: z.object({ pageId: z.number().int().positive(), mayRepeat: z.boolean().optional() }),
  }),
  z.object({ name: z.literal('incident.refresh'), data: incidentRef }),
  z.object({
    name: z.literal('incident.update_posted'),
    data: z.object({ incidentId: z.number().int().positive(), text: z.string(), by: z.string() }),
  }),
  z.object({ name: z.literal('reminder.send'), data: incidentRef }),
  z.object({
    name: z.literal('incident.archive'),
    data: z.object({ incidentId: z.number().int().positive(), closedAtMs: z.number().int() }),
  }),
  z.object({
    name: z.literal('postmortem.publish'),
    data: z.object({ incidentId: z.number().int().positive(), by: z.string() }),
  }),
  z.object({ name: z.literal('escalation.acknowledged'), data: incidentRef }),
  z.object({ name: z.literal('escalation.exhausted'), data: incidentRef }),
  z.object({
    name: z.literal('incident.setup'),
    data: z.object({ incidentId: z.number().int().positive(), fromReconciler: z.boolean().optional() }),
  }),
]);
export type SlackJob = z.infer<typeof slackJobSchema>;

export const timerJobSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('reconcile'), data: z.object({}) }),
  z.object({
    name: z.literal('escalation.step'),
    data: z.object({
      incidentId: z.number().int().positive(),
      epoch: z.number().int().min(0),
      step: z.number().int().min(0),
      loop: z.number().int().min(0),
    }),
  }),
  z.object({
    name: z.literal('reminder.fire'),
    data: z.object({ incidentId: z.number().int().positive(), epoch: z.number().int().min(0) }),
  }),
  z.object({
    name: z.literal('escalation.ack_timeout'),
    data: z.object({ incidentId: z.number().int().positive(), epoch: z.number().int().min(0) }),
  }),
]);

export const RECONCILE_EVERY_MS = 15_000;

export interface Queues {
  slack: Queue;
  timers: Queue;
  /** `fromReconciler` tells the worker an earlier run may have died mid-way. */
  enqueueIncidentSetup(incidentId: number, options?: { fromReconciler?: boolean }): Promise<void>;
  /** The escalation engine's wake-ups and Slack work, enqueued after its commits. Never throws. */
  escalationJobs(logger: Logger): EscalationJobs;
  /** The lifecycle service's Slack work and reminder wake-ups. Never throws. */
  lifecycleJobs(logger: Logger): LifecycleFollowUps;
  close(): Promise<void>;
}

/** Job ids are deterministic (never all digits, no `:`), so an enqueue repeated by a retry is a no-op. */
export function incidentSetupJobId(incidentId: number): string {
  return `setup-inc-${incidentId}`;
}

const SETUP_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.2 },
  // Postgres holds the truth, so finished jobs need not be kept; removal lets the reconciler re-add.
  removeOnComplete: true,
  removeOnFail: true,
};

/** Escalation timers are short DB jobs: many quick retries; ids carry the epoch, so duplicates are no-ops. */
const TIMER_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
  removeOnComplete: true,
  removeOnFail: true,
};

const SLACK_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.2 },
  removeOnComplete: true,
  removeOnFail: true,
};

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
 * Calls with a deterministic job id stay idempotent, so retrying them all is harmless.
 */
function batcher(queue: Queue): (jobs: BatchedJob[]) => Promise<void> {
  let pending: { jobs: BatchedJob[]; settle: (error?: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    const now = Date.now();
    const jobs = batch.flatMap((call) =>
      call.jobs.map(({ name, data, opts, dueAt }) => ({
        name,
        data,
        opts: dueAt ? { ...opts, delay: Math.max(0, dueAt.getTime() - now) } : opts,
      })),
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

export function createQueues(connection: RedisConnection, prefix = DEFAULT_QUEUE_PREFIX): Queues {
  const slack = new Queue(QueueName.slack, { connection, prefix });
  const timers = new Queue(QueueName.timers, { connection, prefix });
  return {
    slack,
    timers,
    async enqueueIncidentSetup(incidentId, options = {}) {
      const data = options.fromReconciler ? { incidentId, fromReconciler: true } : { incidentId };
      await slack.add('incident.setup', data, {
        ...SETUP_JOB_OPTIONS,
        jobId: incidentSetupJobId(incidentId),
      });
    },
    escalationJobs(logger) {
      // Everything the engine enqueues in one turn of the event loop (under load, the follow-ups of
      // many decisions) goes to Redis as one pipeline per queue: one write and one reply instead of
      // one per job. Delays are taken from the due time when the batch is sent.
      const batches = { slack: batcher(slack), timers: batcher(timers) };
      const attempt = async (what: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (error) {
          // The reconciler re-enqueues from Postgres, so a failed enqueue only delays.
          logger.warn({ err: error, what }, 'could not enqueue escalation work; the reconciler will');
        }
      };
      return {
        scheduleStep: (t) =>
          attempt('step', () =>
            batches.timers([
              {
                name: 'escalation.step',
                data: { incidentId: t.incidentId, epoch: t.epoch, step: t.step, loop: t.loop },
                opts: { ...TIMER_JOB_OPTIONS, jobId: stepJobId(t.incidentId, t.epoch, t) },
                dueAt: t.dueAt,
              },
            ]),
          ),
        scheduleAckTimeout: (t) =>
          attempt('ack timeout', () =>
            batches.timers([
              {
                name: 'escalation.ack_timeout',
                data: { incidentId: t.incidentId, epoch: t.epoch },
                opts: { ...TIMER_JOB_OPTIONS, jobId: ackTimeoutJobId(t.incidentId, t.epoch) },
                dueAt: t.dueAt,
              },
            ]),
          ),
        sendPages: (pageIds, options = {}) =>
          attempt('pages', () =>
            batches.slack(
              pageIds.map((pageId) => ({
                name: 'page.send',
                data: options.mayRepeat ? { pageId, mayRepeat: true } : { pageId },
                opts: { ...SLACK_JOB_OPTIONS, jobId: `page-${pageId}` },
              })),
            ),
          ),
        announceAcknowledged: (incidentId) =>
          attempt('ack announcement', () =>
            batches.slack([
              { name: 'escalation.acknowledged', data: { incidentId }, opts: SLACK_JOB_OPTIONS },
            ]),
          ),
        announceExhausted: (incidentId) =>
          attempt('exhausted announcement', () =>
            batches.slack([{ name: 'escalation.exhausted', data: { incidentId }, opts: SLACK_JOB_OPTIONS }]),
          ),
        stateChanged: (incidentId) =>
          attempt('refresh', () =>
            // At most one waiting refresh per incident: it renders whatever is newest when it runs.
            batches.slack([
              {
                name: 'incident.refresh',
                data: { incidentId },
                opts: {
                  ...SLACK_JOB_OPTIONS,
                  deduplication: { id: `refresh-${incidentId}`, keepLastIfActive: true },
                },
              },
            ]),
          ),
      };
    },
    lifecycleJobs(logger) {
      const attempt = async (what: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (error) {
          logger.warn({ err: error, what }, 'could not enqueue incident work; the reconciler will');
        }
      };
      return {
        incidentChanged: (incident) =>
          attempt('refresh', () =>
            slack.add(
              'incident.refresh',
              { incidentId: incident.id },
              // At most one waiting refresh per incident: it renders whatever is newest when it runs.
              {
                ...SLACK_JOB_OPTIONS,
                deduplication: { id: `refresh-${incident.id}`, keepLastIfActive: true },
              },
            ),
          ),
        updatePosted: (incident, text, by) =>
          attempt('update', () =>
            slack.add('incident.update_posted', { incidentId: incident.id, text, by }, SLACK_JOB_OPTIONS),
          ),
        scheduleReminder: (incidentId, epoch, dueAt) =>
          attempt('reminder', () =>
            timers.add(
              'reminder.fire',
              { incidentId, epoch },
              {
                ...TIMER_JOB_OPTIONS,
                jobId: `remind-${incidentId}-e${epoch}`,
                delay: Math.max(0, dueAt.getTime() - Date.now()),
              },
            ),
          ),
        sendReminder: (incidentId) =>
          attempt('reminder send', () => slack.add('reminder.send', { incidentId }, SLACK_JOB_OPTIONS)),
        scheduleArchive: (incidentId, closedAt, dueAt) =>
          attempt('archive', () =>
            slack.add(
              'incident.archive',
              { incidentId, closedAtMs: closedAt.getTime() },
              {
                ...SLACK_JOB_OPTIONS,
                jobId: `archive-${incidentId}-${closedAt.getTime()}`,
                delay: Math.max(0, dueAt.getTime() - Date.now()),
              },
            ),
          ),
        publishPostmortem: (incidentId, by) =>
          attempt('postmortem', () => slack.add('postmortem.publish', { incidentId, by }, SLACK_JOB_OPTIONS)),
      };
    },
    async close() {
      await Promise.all([slack.close(), timers.close()]);
    },
  };
}
