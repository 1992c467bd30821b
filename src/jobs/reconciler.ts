import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import type { EscalationService } from '../escalation/escalation-service.js';
import { listOverdueReminders } from '../incidents/incident-repo.js';
import type { Logger } from '../logger.js';
import type { Outbox } from './outbox.js';
import { claimOverdueOutboxRows, pruneDoneOutboxRows } from './outbox-repo.js';
import { reminderFireJob } from './reminder-fire.js';

export interface ReconcilerDeps {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  escalation: EscalationService | null;
  /**
   * Other durable timers kept in their own tables (maintenance window ends, heartbeat misses): each
   * re-enqueues its overdue timers and says how many.
   */
  timers?: readonly { reconcile(): Promise<number> }[];
  /** How long done outbox rows are kept (for inspection) before they are deleted. */
  retentionMs?: number;
}

export type Reconciler = ReturnType<typeof createReconciler>;

const DAY_MS = 86_400_000;

/**
 * Finds work Postgres says is due but Redis may not hold (a crash between commit and enqueue, Redis
 * down, Redis back empty) and enqueues it again; every job is idempotent, so a duplicate is a no-op.
 */
export function createReconciler(deps: ReconcilerDeps) {
  const { pool, clock, logger, outbox } = deps;
  return {
    async run(): Promise<{ outbox: number; reminders: number; timers: number; pruned: number }> {
      await deps.escalation?.reconcile();
      let timers = 0;
      for (const owner of deps.timers ?? []) timers += await owner.reconcile();
      const now = clock.now();
      const reminders = await listOverdueReminders(pool, new Date(now.getTime() - 2000));
      for (const incident of reminders) {
        await outbox.wake(
          reminderFireJob,
          { incidentId: incident.id, epoch: incident.reminderEpoch },
          { dueAt: incident.reminderDueAt! },
        );
      }
      const overdue = await claimOverdueOutboxRows(pool, now);
      await outbox.redispatch(overdue);
      if (overdue.length > 0)
        logger.info(
          { count: overdue.length, jobs: [...new Set(overdue.map((r) => r.job))] },
          'reconciler re-enqueued effects',
        );
      const pruned = await pruneDoneOutboxRows(pool, new Date(now.getTime() - (deps.retentionMs ?? DAY_MS)));
      return { outbox: overdue.length, reminders: reminders.length, timers, pruned };
    },
  };
}
