import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../logger.js';
import type { EscalationJobs } from './escalation-jobs.js';
import { listOverdueEscalations } from './escalation-repo.js';
import { listStalePendingPages } from './page-repo.js';

/**
 * Re-enqueues timers and page sends Postgres says are due: repairs crashes and lost Redis data.
 * Run by the reconciler job (jobs/reconciler.ts).
 */
export async function reconcileEscalations(
  deps: { pool: Pool; clock: Clock; logger: Logger; jobs: EscalationJobs },
  graceMs = 2000,
): Promise<{ timers: number; pages: number }> {
  const { pool, clock, logger, jobs } = deps;
  const before = new Date(clock.now().getTime() - graceMs);
  const overdue = await listOverdueEscalations(pool, before);
  for (const esc of overdue) {
    if (esc.state === 'triggered') {
      await jobs.scheduleStep({ ...esc, dueAt: esc.nextStepAt! });
    } else {
      await jobs.scheduleAckTimeout({
        incidentId: esc.incidentId,
        epoch: esc.epoch,
        dueAt: esc.nextStepAt!,
      });
    }
  }
  const pending = await listStalePendingPages(
    pool,
    new Date(clock.now().getTime() - Math.max(graceMs, 5000)),
  );
  if (pending.length > 0)
    await jobs.sendPages(
      pending.map((p) => p.id),
      { mayRepeat: true },
    );
  if (overdue.length + pending.length > 0) {
    logger.info({ timers: overdue.length, pages: pending.length }, 'reconciler re-enqueued escalation work');
  }
  return { timers: overdue.length, pages: pending.length };
}
