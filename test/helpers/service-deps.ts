import { runMigrations } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { jobCatalogue } from '../../src/jobs/catalogue.js';
import { createOutbox, type EnqueueRequest, type Outbox } from '../../src/jobs/outbox.js';
import { createLogger } from '../../src/logger.js';
import { queryRows } from './incidents-db.js';
import { createDatabase } from './postgres-server.js';

/** A clock the test moves by hand: services read the time only from here. */
export interface FixedClock {
  now(): Date;
  set(at: string | Date): void;
  advance(ms: number): void;
}

export function fixedClock(start: string): FixedClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (at) => {
      t = new Date(at).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/**
 * The queue port as a recording fake: every job the services would hand to BullMQ (outbox rows after
 * commit, timers, page sends), in order, and nothing is run.
 */
export function recordingEnqueuer() {
  const requests: EnqueueRequest[] = [];
  return {
    requests,
    add: async (batch: EnqueueRequest[]) => {
      requests.push(...batch);
    },
    /** What was enqueued since the last `take`, and forgets it. */
    take(): EnqueueRequest[] {
      return requests.splice(0, requests.length);
    },
    clear() {
      requests.length = 0;
    },
  };
}

export type RecordingEnqueuer = ReturnType<typeof recordingEnqueuer>;

export interface ServiceDb {
  pool: Pool;
  url: string;
  outbox: Outbox;
  enqueued: RecordingEnqueuer;
  clock: FixedClock;
  logger: ReturnType<typeof createLogger>;
  /** Rows as Postgres holds them (a separate connection). */
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A fresh migrated database on the run's Postgres, with an outbox whose queue is a recording fake. */
export async function serviceDb(adminUrl: string, start: string, migrationsDir?: string): Promise<ServiceDb> {
  const url = await createDatabase(adminUrl, 'svc');
  const pool = createPool(url, { max: 4 });
  await runMigrations(pool, undefined, migrationsDir);
  const logger = createLogger({ level: 'silent' });
  const clock = fixedClock(start);
  const enqueued = recordingEnqueuer();
  const outbox = createOutbox({
    pool,
    clock,
    logger,
    enqueuer: enqueued,
    jobNamed: (name) => jobCatalogue.get(name),
  });
  return {
    pool,
    url,
    outbox,
    enqueued,
    clock,
    logger,
    rows: (sql, params = []) => queryRows(url, sql, params),
  };
}

/** The outbox rows of one incident (by payload), oldest first: what is owed to Slack. */
export async function outboxRowsOf(db: ServiceDb, incidentId: number) {
  return db.rows<{ job: string; key: string; run_at: Date; done_at: Date | null }>(
    `SELECT job, key, run_at, done_at FROM outbox WHERE (payload->>'incidentId')::bigint = $1 ORDER BY id`,
    [incidentId],
  );
}

/** The timeline event kinds of one incident, in order. */
export async function timelineKinds(db: ServiceDb, incidentId: number): Promise<string[]> {
  const rows = await db.rows<{ kind: string }>(
    'SELECT kind FROM timeline_events WHERE incident_id = $1 ORDER BY id',
    [incidentId],
  );
  return rows.map((r) => r.kind);
}
