import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { CLAIM_LEASE_MS } from './deliver-one.js';
import { listOverdueDeliveries } from './deliveries-repo.js';
import type { EscalationJobs } from './escalation-jobs.js';
import { listOverdueEscalations } from './escalation-repo.js';
import { listStaleNotNotedPages, listStalePendingPages } from './page-repo.js';

/** Page lines older than this are not re-enqueued (a note that kept failing for an hour is given up). */
const NOTE_HORIZON_MS = 60 * 60_000;

/**
 * Re-enqueues timers and page sends Postgres says are due: repairs crashes and lost Redis data.
 * Run by the reconciler job (jobs/reconciler.ts).
 */
export async function reconcileEscalations(
  deps: { pool: Pool; clock: Clock; logger: Logger; jobs: EscalationJobs },
  graceMs = 2000,
): Promise<{ timers: number; pages: number; notes: number; deliveries: number }> {
  const { pool, clock, logger, jobs } = deps;
  const before = new Date(clock.now().getTime() - graceMs);
  const overdue = await listOverdueEscalations(pool, before);
  for (const esc of overdue) {
    if (esc.state === 'triggered') {
      await jobs.scheduleStep({ ...esc, escalationId: esc.id, dueAt: esc.nextStepAt! });
    } else {
      await jobs.scheduleAckTimeout({
        escalationId: esc.id,
        epoch: esc.epoch,
        dueAt: esc.nextStepAt!,
      });
    }
  }
  const stale = new Date(clock.now().getTime() - Math.max(graceMs, 5000));
  const pending = await listStalePendingPages(pool, stale);
  if (pending.length > 0)
    await jobs.sendPages(
      pending.map((p) => p.id),
      { mayRepeat: true },
    );
  const notes = await listStaleNotNotedPages(pool, new Date(clock.now().getTime() - NOTE_HORIZON_MS), stale);
  if (notes.length > 0) await jobs.notePages(notes, { mayRepeat: true });
  // Steps of people's rules past due (a lost job) or claimed by a worker that died (past its lease).
  const deliveries = await listOverdueDeliveries(
    pool,
    before,
    new Date(clock.now().getTime() - CLAIM_LEASE_MS),
  );
  await jobs.sendDeliveries(deliveries);
  const counts = {
    timers: overdue.length,
    pages: pending.length,
    notes: notes.length,
    deliveries: deliveries.length,
  };
  if (counts.timers + counts.pages + counts.notes + counts.deliveries > 0) {
    logger.info(counts, 'reconciler re-enqueued escalation work');
  }
  return counts;
}
