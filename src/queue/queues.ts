import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';

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

export const slackJobSchema = z.discriminatedUnion('name', [
  z.object({
    name: z.literal('incident.setup'),
    data: z.object({ incidentId: z.number().int().positive(), fromReconciler: z.boolean().optional() }),
  }),
]);
export type SlackJob = z.infer<typeof slackJobSchema>;

export const timerJobSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('reconcile'), data: z.object({}) }),
]);

export const RECONCILE_EVERY_MS = 15_000;

export interface Queues {
  slack: Queue;
  timers: Queue;
  /** `fromReconciler` tells the worker an earlier run may have died mid-way. */
  enqueueIncidentSetup(incidentId: number, options?: { fromReconciler?: boolean }): Promise<void>;
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

export function createQueues(connection: Redis, prefix = DEFAULT_QUEUE_PREFIX): Queues {
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
    async close() {
      await Promise.all([slack.close(), timers.close()]);
    },
  };
}
