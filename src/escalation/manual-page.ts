import type { Clock } from '../clock.js';
import { type Pool, withTransaction } from '../db/pool.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import { insertDeliveries } from './deliveries-repo.js';
import { planSteps } from './delivery-plan.js';
import type { EscalationJobs } from './escalation-jobs.js';
import { findEscalationForUpdate, insertEscalation } from './escalation-repo.js';
import { resolveLevelTargets } from './escalation-steps.js';
import type { EscalationPolicy, NotifyTarget, OncallConfig } from './oncall-config.js';
import { effectiveSchedules } from './overrides-repo.js';
import { insertPages } from './page-repo.js';

/** A page by hand waits this long for an ack before saying nobody answered. */
const MANUAL_PAGE_WAIT_MS = 5 * 60_000;

export function createManualPaging(deps: {
  pool: Pool;
  clock: Clock;
  oncall: OncallConfig;
  jobs: EscalationJobs;
}) {
  const { pool, clock, oncall, jobs } = deps;
  return {
    /**
     * `/incident page`: pages a person, or whoever is on call in a schedule, right now. Without an
     * escalation running this starts a one-level one; with one, it adds a page beside it.
     */
    async pageNow(
      incidentId: number,
      target: NotifyTarget,
      actorId: string,
    ): Promise<
      { ok: true; target: string } | { ok: false; reason: 'nobody_on_call' | 'unknown_schedule' | 'resolved' }
    > {
      if (target.kind === 'schedule' && !oncall.schedules[target.schedule])
        return { ok: false, reason: 'unknown_schedule' };
      const now = clock.now();
      const outcome = await withTransaction(pool, async (tx) => {
        const [resolved] = resolveLevelTargets([target], await effectiveSchedules(tx, oncall, now), now);
        if (!resolved) return { ok: false as const, reason: 'nobody_on_call' as const };
        const esc = await findEscalationForUpdate(tx, { incidentId });
        if (esc?.state === 'resolved') return { ok: false as const, reason: 'resolved' as const };
        if (!esc) {
          const policy: EscalationPolicy = {
            name: 'manual',
            levels: [{ notify: [target], escalateAfterMs: MANUAL_PAGE_WAIT_MS }],
            repeat: 0,
            ackTimeoutMs: undefined,
          };
          const started = await insertEscalation(tx, {
            incidentId,
            policyName: 'manual',
            policy,
            startedAt: now,
          });
          await appendTimelineEvent(
            tx,
            incidentId,
            { kind: 'escalation.started', details: { policy: 'manual', levels: 1, repeat: 0 } },
            { occurredAt: now, actorId },
          );
          return {
            ok: true as const,
            target: resolved.target,
            // Null: a concurrent start won (its own timer pages).
            after: async () => {
              if (started)
                await jobs.scheduleStep({ escalationId: started.id, epoch: 0, step: 0, loop: 0, dueAt: now });
            },
          };
        }
        // Beside a running escalation: step -1 marks a page by hand; `loop` counts them.
        const { rows } = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pages WHERE incident_id = $1 AND step = -1',
          [incidentId],
        );
        const pages = await insertPages(tx, esc, { epoch: esc.epoch, step: -1, loop: rows[0]!.n }, [
          resolved,
        ]);
        // The person's rules apply to a page by hand as to any other.
        const deliveries = await insertDeliveries(
          tx,
          pages.flatMap((page) =>
            planSteps(oncall.people, page.target).map((step) => ({
              pageId: page.id,
              person: page.target,
              step: step.step,
              channel: step.channel,
              target: step.target,
              dueAt: new Date(now.getTime() + step.afterMs),
            })),
          ),
        );
        await appendTimelineEvent(
          tx,
          incidentId,
          { kind: 'escalation.paged', details: { level: 0, pass: 1, targets: [resolved] } },
          { occurredAt: now, actorId },
        );
        return {
          ok: true as const,
          target: resolved.target,
          after: async () => {
            await Promise.all([jobs.sendPages(pages.map((p) => p.id)), jobs.sendDeliveries(deliveries)]);
          },
        };
      });
      if (!outcome.ok) return outcome;
      await outcome.after();
      return { ok: true, target: outcome.target };
    },
  };
}
