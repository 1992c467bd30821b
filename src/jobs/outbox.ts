import type { z } from 'zod';
import type { Clock } from '../clock.js';
import { type Pool, type PoolClient, type Queryable, withTransaction } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { withTimeout } from '../with-timeout.js';
import type { JobDefinition, OutboxJob, QueueKey } from './job.js';
import { DEFAULT_DEADLINE_MS } from './job.js';
import { insertOutboxEntries, type OutboxEntry, type OutboxRow } from './outbox-repo.js';

/** How long a dispatch after commit may wait for Redis before leaving the rows to the reconciler. */
const DISPATCH_TIMEOUT_MS = 2000;

/** A request to BullMQ: the job's queue, name, id, data, and when it is due (delayed jobs). */
export interface EnqueueRequest {
  queue: QueueKey;
  name: string;
  jobId: string;
  data: unknown;
  options: JobDefinition['options'];
  dueAt?: Date;
}

/** What the outbox needs from the queue: adding jobs (BullMQ in jobs/queues.ts). May throw. */
export interface JobEnqueuer {
  add(requests: EnqueueRequest[]): Promise<void>;
}

/** An effect written (or to be written) as an outbox row, with the queue that carries it out. */
export type Effect = OutboxEntry & { queue: QueueKey; options: JobDefinition['options'] };

/** Outbox jobs carry only their key: the row holds the payload, and the newest one wins. */
export interface OutboxJobData {
  key: string;
}

export interface OutboxDeps {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  enqueuer: JobEnqueuer;
  /** Looks a job up by name (the catalogue), to re-enqueue rows. */
  jobNamed(name: string): JobDefinition | undefined;
  /** Overrides every job's deadline (tests use a short one). */
  deadlineMs?: number;
}

export type Outbox = ReturnType<typeof createOutbox>;

/**
 * The one way effects are requested. Outbox jobs: a row in the transaction of the change, handed to
 * BullMQ after commit (a Redis failure is only logged: the reconciler re-enqueues the row). State
 * jobs (escalation timers, page sends, reminder wake-ups): enqueued after commit; their own table is
 * the record the reconciler re-enqueues from.
 */
export function createOutbox(deps: OutboxDeps) {
  const { pool, clock, logger, enqueuer } = deps;

  function effect<S extends z.ZodType>(
    job: OutboxJob<S>,
    payload: z.infer<S>,
    options: { runAt?: Date } = {},
  ): Effect {
    const parsed = job.payload.parse(payload);
    return {
      job: job.name,
      key: job.key(parsed),
      payload: parsed,
      runAt: options.runAt ?? clock.now(),
      deadlineMs: deps.deadlineMs ?? job.deadlineMs ?? DEFAULT_DEADLINE_MS,
      coalescing: job.coalesce === true,
      queue: job.queue,
      options: job.options,
    };
  }

  async function dispatch(effects: Effect[]): Promise<void> {
    if (effects.length === 0) return;
    try {
      // Bounded: the user's answer waits for this, and the row is safe in Postgres either way.
      await withTimeout(
        enqueuer.add(
          effects.map((e) => ({
            queue: e.queue,
            name: e.job,
            jobId: e.key,
            data: { key: e.key } satisfies OutboxJobData,
            options: e.options,
            dueAt: e.runAt,
          })),
        ),
        DISPATCH_TIMEOUT_MS,
      );
    } catch (error) {
      logger.warn(
        { err: error, keys: effects.map((e) => e.key) },
        'could not enqueue effects; their outbox rows stay and the reconciler re-enqueues them',
      );
    }
  }

  return {
    /** The row for `job` (not written yet), for statements that write a change and its effects at once. */
    effect,

    /** Writes the effect's row in `tx`; hand the result to `dispatch` once `tx` committed. */
    async enqueueInTx<S extends z.ZodType>(
      tx: Queryable,
      job: OutboxJob<S>,
      payload: z.infer<S>,
      options: { runAt?: Date } = {},
    ): Promise<Effect> {
      const written = effect(job, payload, options);
      await insertOutboxEntries(tx, [written]);
      return written;
    },

    /** After commit: hands the rows' jobs to BullMQ. Never throws. */
    dispatch,

    /**
     * Runs `fn` in a transaction; the effects it emits are written in it and dispatched after commit,
     * together with `after` (say, timers to enqueue): one trip to Redis for all of them.
     */
    async transaction<T>(
      fn: (
        tx: PoolClient,
        emit: <S extends z.ZodType>(
          job: OutboxJob<S>,
          payload: z.infer<S>,
          options?: { runAt?: Date },
        ) => void,
      ) => Promise<T>,
      after?: (value: T) => Promise<unknown>,
    ): Promise<T> {
      let effects: Effect[] = [];
      const result = await withTransaction(pool, async (tx) => {
        effects = [];
        const value = await fn(tx, (job, payload, options) => {
          effects.push(effect(job, payload, options));
        });
        await insertOutboxEntries(tx, effects);
        return value;
      });
      await Promise.all([dispatch(effects), after?.(result)]);
      return result;
    },

    /** A state job (its own table is its record): enqueued now. Never throws. */
    async wake<S extends z.ZodType>(
      job: JobDefinition<S> & { durability: 'state' },
      payload: z.infer<S>,
      options: { dueAt?: Date } = {},
    ): Promise<void> {
      try {
        await enqueuer.add([
          {
            queue: job.queue,
            name: job.name,
            jobId: job.key(payload),
            data: payload,
            options: job.options,
            ...(options.dueAt ? { dueAt: options.dueAt } : {}),
          },
        ]);
      } catch (error) {
        logger.warn(
          { err: error, job: job.name },
          'could not enqueue a timer; the reconciler re-enqueues it',
        );
      }
    },

    /** Re-enqueues rows the reconciler claimed (see claimOverdueOutboxRows). Never throws. */
    async redispatch(rows: OutboxRow[]): Promise<void> {
      const effects: Effect[] = [];
      for (const row of rows) {
        const job = deps.jobNamed(row.job);
        if (!job) {
          logger.error({ job: row.job, key: row.key }, 'outbox row of an unknown job; left as it is');
          continue;
        }
        effects.push({
          job: row.job,
          key: row.key,
          payload: row.payload,
          runAt: row.runAt,
          deadlineMs: 0,
          coalescing: false,
          queue: job.queue,
          options: job.options,
        });
      }
      await dispatch(effects);
    },
  };
}
