import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import { deleteExpiredRecords, EXPIRING_RECORDS, type ExpiringRecords } from '../db/retention-repo.js';
import type { Logger } from '../logger.js';

export interface RetentionSweepDeps {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  /** RETENTION_DAYS: records older than this are deleted. */
  retentionDays: number;
  /** Rows deleted per statement (default 5000). */
  batch?: number;
}

export type RetentionSweep = ReturnType<typeof createRetentionSweep>;

const DAY_MS = 86_400_000;
/** Batches per kind per run: a large backlog is worked off over several runs, never in one long one. */
const MAX_BATCHES = 20;

/** Deletes processed Slack event ids and declare idempotency keys older than the retention period. */
export function createRetentionSweep(deps: RetentionSweepDeps) {
  const batch = deps.batch ?? 5000;
  return {
    async run(): Promise<Record<ExpiringRecords, number>> {
      const before = new Date(deps.clock.now().getTime() - deps.retentionDays * DAY_MS);
      const deleted = {} as Record<ExpiringRecords, number>;
      for (const kind of EXPIRING_RECORDS) {
        deleted[kind] = 0;
        for (let i = 0; i < MAX_BATCHES; i++) {
          const count = await deleteExpiredRecords(deps.pool, kind, before, batch);
          deleted[kind] += count;
          if (count < batch) break;
        }
      }
      if (Object.values(deleted).some((n) => n > 0)) deps.logger.info({ deleted }, 'retention sweep');
      return deleted;
    },
  };
}
