import { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../../src/clock.js';
import { runMigrations } from '../../src/db/migrate.js';
import { createPool, type Pool, withTransaction } from '../../src/db/pool.js';
import { createMetrics } from '../../src/http/metrics.js';
import { jobCatalogue } from '../../src/jobs/catalogue.js';
import { incidentRefreshJob } from '../../src/jobs/incident-refresh.js';
import { defineJob, type JobDefinition, type JobDeps, SLACK_OPTIONS } from '../../src/jobs/job.js';
import { createOutbox, type Outbox } from '../../src/jobs/outbox.js';
import { findOutboxRow } from '../../src/jobs/outbox-repo.js';
import { createQueues, type Queues } from '../../src/jobs/queues.js';
import { createReconciler } from '../../src/jobs/reconciler.js';
import { startWorkers, type Workers } from '../../src/jobs/workers.js';
import { createLogger } from '../../src/logger.js';
import { createProducerConnection, createWorkerConnection } from '../../src/queue/redis.js';
import { createDatabase } from '../helpers/postgres-server.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

const logger = createLogger({ level: 'silent' });

/** A job of this test: records every run (a recording fake of the port its handler would call). */
const runs: Array<{ note: string; mayRepeat: boolean }> = [];
const noteJob = defineJob({
  name: 'test.note',
  queue: 'slack',
  durability: 'outbox',
  payload: z.object({ id: z.number().int(), note: z.string() }),
  key: (p) => `note-${p.id}`,
  options: SLACK_OPTIONS,
  handle: async (_deps, p, run) => {
    runs.push({ note: p.note, mayRepeat: run.mayRepeat });
  },
});
const catalogue = new Map<string, JobDefinition>([...jobCatalogue, [noteJob.name, noteJob as JobDefinition]]);

let pool: Pool;
let queues: Queues;
let outbox: Outbox;
const prefix = `{outbox-${Math.random().toString(36).slice(2, 8)}}`;
const producer = createProducerConnection(inject('redisUrl'));

beforeAll(async () => {
  pool = createPool(await createDatabase(inject('postgresAdminUrl')));
  await runMigrations(pool);
  queues = createQueues(producer, prefix);
  outbox = createOutbox({
    pool,
    clock: systemClock,
    logger,
    enqueuer: queues,
    jobNamed: (name) => catalogue.get(name),
    deadlineMs: 1000,
  });
});
afterAll(async () => {
  await queues?.close();
  producer.disconnect();
  await pool?.end();
});

const row = (key: string) => findOutboxRow(pool, key);

describe('the outbox writer', () => {
  it('writes the row only if the change commits, and hands it to BullMQ with the key as job id', async () => {
    await expect(
      outbox.transaction(async (_tx, emit) => {
        emit(noteJob, { id: 1, note: 'rolled back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await row('note-1')).toBeNull();

    await outbox.transaction(async (_tx, emit) => emit(noteJob, { id: 2, note: 'committed' }));
    expect(await row('note-2')).toMatchObject({
      job: 'test.note',
      payload: { id: 2, note: 'committed' },
      doneAt: null,
    });
    const job = await Job.fromId(queues.slack, 'note-2');
    expect(job?.name).toBe('test.note');
    expect(job?.data).toEqual({ key: 'note-2' });
  });

  it('refuses a payload its job does not accept, with the field at fault', async () => {
    await expect(
      outbox.transaction(async (_tx, emit) => emit(noteJob, { id: 3, note: 42 } as never)),
    ).rejects.toThrow(/note/);
    expect(await row('note-3')).toBeNull();
  });

  it('keeps the row when Redis is unreachable: the change still commits, and at once', async () => {
    const redis = await startRedisServer();
    const connection = createProducerConnection(redis.url);
    connection.on('error', () => {});
    const stopped = createQueues(connection, prefix);
    await stopped.slack.waitUntilReady();
    await redis.stop();
    const offline = createOutbox({
      pool,
      clock: systemClock,
      logger,
      enqueuer: stopped,
      jobNamed: (name) => catalogue.get(name),
    });
    const started = Date.now();
    await offline.transaction(async (_tx, emit) => emit(noteJob, { id: 4, note: 'while Redis is down' }));
    expect(Date.now() - started).toBeLessThan(2900);
    expect(await row('note-4')).toMatchObject({ doneAt: null, dispatches: 1 });
    connection.disconnect();
  });

  it('renews a pending card refresh instead of adding a second row', async () => {
    const incident = await pool.query<{ id: number }>(
      `INSERT INTO incidents (number, title, severity, status, reporter_id, declared_at)
       VALUES (900, 'Coalescing', 'SEV3', 'investigating', 'U1', now()) RETURNING id`,
    );
    const incidentId = incident.rows[0]!.id;
    for (let i = 0; i < 3; i++) {
      await withTransaction(pool, (tx) => outbox.enqueueInTx(tx, incidentRefreshJob, { incidentId }));
    }
    const { rows } = await pool.query('SELECT generation FROM outbox WHERE key = $1', [
      `refresh-inc-${incidentId}`,
    ]);
    expect(rows).toEqual([{ generation: 3 }]);
  });
});

describe('the reconciler', () => {
  it('re-enqueues rows past their deadline, later each time, and prunes done rows past retention', async () => {
    await queues.slack.obliterate({ force: true });
    await outbox.transaction(async (_tx, emit) => emit(noteJob, { id: 10, note: 'lost by Redis' }));
    await pool.query("UPDATE outbox SET done_at = now() - interval '2 days' WHERE key = 'note-2'");
    // Redis lost the job (FLUSHALL, or never took it).
    await queues.slack.obliterate({ force: true });
    expect(await Job.fromId(queues.slack, 'note-10')).toBeUndefined();
    const reconciler = createReconciler({ pool, clock: systemClock, logger, outbox, escalation: null });

    const first = await reconciler.run();
    expect(first.pruned).toBe(1);
    expect(await row('note-2')).toBeNull();
    // Not yet past its deadline: left alone.
    expect((await row('note-10'))!.dispatches).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await reconciler.run();
    expect((await Job.fromId(queues.slack, 'note-10'))?.data).toEqual({ key: 'note-10' });
    const after = (await row('note-10'))!;
    expect(after.dispatches).toBe(2);
    // The next deadline is twice the job's deadline away.
    expect(after.deadlineAt.getTime() - Date.now()).toBeGreaterThan(1500);
  });
});

describe('the workers', () => {
  let workers: Workers;
  const connection = createWorkerConnection(inject('redisUrl'));
  afterAll(async () => {
    await workers?.close();
    connection.disconnect();
  });

  it('run an outbox job once, mark its row done, and skip a row already done', async () => {
    await queues.slack.obliterate({ force: true });
    runs.length = 0;
    workers = await startWorkers({
      connection,
      prefix,
      queues,
      pool,
      clock: systemClock,
      metrics: createMetrics(),
      logger,
      catalogue,
      reconcileEveryMs: 60_000,
      jobs: {
        reconciler: { run: async () => ({ outbox: 0, reminders: 0, pruned: 0 }) },
        retention: { run: async () => ({}) },
      } as unknown as JobDeps,
    });
    await outbox.transaction(async (_tx, emit) => emit(noteJob, { id: 20, note: 'first' }));
    await waitFor(async () => (await row('note-20'))?.doneAt ?? null, { what: 'note-20 done' });
    expect(runs).toEqual([{ note: 'first', mayRepeat: false }]);

    // Enqueued again (a reconciler that raced the worker): the row is done, so nothing runs.
    await outbox.redispatch([(await row('note-20'))!]);
    await outbox.transaction(async (_tx, emit) => emit(noteJob, { id: 21, note: 'second' }));
    await waitFor(async () => (await row('note-21'))?.doneAt ?? null, { what: 'note-21 done' });
    expect(runs.map((r) => r.note)).toEqual(['first', 'second']);

    // A row the reconciler re-enqueued tells the job it may be a repeat.
    await pool.query("UPDATE outbox SET dispatches = 2 WHERE key = 'note-10'");
    await outbox.redispatch([(await row('note-10'))!]);
    await waitFor(async () => (await row('note-10'))?.doneAt ?? null, { what: 'note-10 done' });
    expect(runs.at(-1)).toEqual({ note: 'lost by Redis', mayRepeat: true });
  });
});
