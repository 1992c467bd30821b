import type { Redis } from 'ioredis';
import type pg from 'pg';
import { systemClock } from '../../src/clock.js';
import type { Pool } from '../../src/db/pool.js';
import { createEscalationService } from '../../src/escalation/escalation-service.js';
import type { OncallConfig } from '../../src/escalation/oncall-config.js';
import { jobCatalogue } from '../../src/jobs/catalogue.js';
import { createOutbox } from '../../src/jobs/outbox.js';
import { createQueues } from '../../src/jobs/queues.js';
import type { Logger } from '../../src/logger.js';

/** `count` SEV1 incidents in one statement (numbers taken from the counter as the bot does). */
export async function createIncidents(
  client: pg.Client,
  count: number,
  title = 'bench escalation',
): Promise<number[]> {
  const { rows } = await client.query<{ id: string }>(
    `WITH counter AS (
       UPDATE incident_counter SET last_number = last_number + $1 RETURNING last_number - $1 AS base
     )
     INSERT INTO incidents (number, title, severity, reporter_id, declared_at)
     SELECT counter.base + g, $2 || ' ' || (counter.base + g), 'SEV1', 'U0BENCH000', now()
     FROM counter, generate_series(1, $1::int) AS g
     RETURNING id`,
    [count, title],
  );
  return rows.map((r) => Number(r.id));
}

/** The real engine as the bot builds it (outbox, queues under `prefix`), to start escalations with. */
export function createBenchEngine(deps: {
  pool: Pool;
  producer: Redis;
  prefix: string;
  logger: Logger;
  oncall: OncallConfig;
}) {
  const { pool, logger, oncall } = deps;
  const queues = createQueues(deps.producer, deps.prefix);
  const outbox = createOutbox({
    pool,
    clock: systemClock,
    logger,
    enqueuer: queues,
    jobNamed: (name) => jobCatalogue.get(name),
  });
  return { queues, service: createEscalationService({ pool, clock: systemClock, logger, oncall, outbox }) };
}
