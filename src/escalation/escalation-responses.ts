import { asDatabaseError, withTransaction } from '../db/pool.js';
import { escalationAcknowledgedJob } from '../jobs/escalation-acknowledged.js';
import { incidentRefreshJob } from '../jobs/incident-refresh.js';
import { pageAcknowledgedJob } from '../jobs/page-acknowledged.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import type { EscalationJobs } from './escalation-jobs.js';
import {
  acknowledgeEscalation,
  type Escalation,
  findEscalation,
  findEscalationForUpdate,
  resolveEscalation,
  restartEscalation,
} from './escalation-repo.js';
import type { EscalationServiceDeps } from './escalation-service.js';
import { isExhaustionCheck } from './escalation-steps.js';

export type AckResult =
  | { ok: true; escalation: Escalation }
  | { ok: false; reason: 'already_acknowledged'; by: string; at: Date }
  | { ok: false; reason: 'not_paging'; state: Escalation['state'] | null };

/**
 * What people (and the ack timeout) do to a running escalation: acknowledge, escalate now, stop, and
 * page again after an unanswered acknowledgement. Each is a compare-and-set on the escalation's
 * epoch, so a stale button or a repeated job changes nothing.
 */
export function createEscalationResponses({
  pool,
  clock,
  outbox,
  jobs,
}: Pick<EscalationServiceDeps, 'pool' | 'clock' | 'outbox'> & { jobs: EscalationJobs }) {
  return {
    /** Acknowledged but unresolved for too long: page again from the first level. */
    async fireAckTimeout(timer: { incidentId: number; epoch: number }): Promise<boolean> {
      const now = clock.now();
      const restarted = await withTransaction(pool, async (tx) => {
        const esc = await restartEscalation(tx, timer.incidentId, {
          fromStates: ['acknowledged'],
          expectedEpoch: timer.epoch,
          step: 0,
          loop: 0,
          nextStepAt: now,
        });
        if (esc) {
          await appendTimelineEvent(
            tx,
            timer.incidentId,
            { kind: 'escalation.escalated', details: { by: null, reason: 'ack_timeout' } },
            { occurredAt: now },
          );
        }
        return esc;
      });
      if (restarted)
        await jobs.scheduleStep({ ...timer, epoch: restarted.epoch, step: 0, loop: 0, dueAt: now });
      return restarted !== null;
    },

    /** One compare-and-set: exactly one of any number of concurrent clicks succeeds. */
    async acknowledge(incidentId: number, userId: string): Promise<AckResult> {
      const acked = await outbox.transaction(async (tx, emit) => {
        const esc = await acknowledgeEscalation(
          tx,
          incidentId,
          userId,
          () => clock.now(),
          (policy, at) => (policy.ackTimeoutMs ? new Date(at.getTime() + policy.ackTimeoutMs) : null),
        );
        if (esc) {
          await appendTimelineEvent(
            tx,
            incidentId,
            { kind: 'escalation.acknowledged', details: { by: userId } },
            { occurredAt: esc.acknowledgedAt!, actorId: userId },
          );
          // The DMs say who acknowledged, and the card shows it: durable with the ack itself.
          emit(escalationAcknowledgedJob, { incidentId, epoch: esc.epoch });
          emit(pageAcknowledgedJob, { incidentId, epoch: esc.epoch });
          emit(incidentRefreshJob, { incidentId });
        }
        return esc;
      });
      if (!acked) {
        const current = await findEscalation(pool, incidentId).catch((error) => {
          throw asDatabaseError(error);
        });
        if (current?.state === 'acknowledged' && current.acknowledgedBy && current.acknowledgedAt) {
          return {
            ok: false,
            reason: 'already_acknowledged',
            by: current.acknowledgedBy,
            at: current.acknowledgedAt,
          };
        }
        return { ok: false, reason: 'not_paging', state: current?.state ?? null };
      }
      if (acked.nextStepAt) {
        await jobs.scheduleAckTimeout({ incidentId, epoch: acked.epoch, dueAt: acked.nextStepAt });
      }
      return { ok: true, escalation: acked };
    },

    /**
     * Pages the next level at once. `seenEpoch` is the epoch the person saw on their button: if the
     * escalation moved on since (an ack, another escalate), nothing happens.
     */
    async escalateNow(
      incidentId: number,
      userId: string,
      seenEpoch: number | null,
    ): Promise<Escalation | null> {
      const now = clock.now();
      const escalated = await outbox.transaction(async (tx, emit) => {
        const esc = await findEscalationForUpdate(tx, incidentId);
        if (!esc || esc.state === 'resolved') return null;
        if (seenEpoch !== null && esc.epoch !== seenEpoch) return null;
        // From an exhausted escalation, escalate-now starts another pass at the first level.
        const position = isExhaustionCheck(esc.policy, esc)
          ? { step: 0, loop: 0 }
          : { step: esc.step, loop: esc.loop };
        const restarted = await restartEscalation(tx, incidentId, {
          fromStates: ['triggered', 'acknowledged', 'exhausted'],
          expectedEpoch: esc.epoch,
          ...position,
          nextStepAt: now,
        });
        if (restarted) {
          await appendTimelineEvent(
            tx,
            incidentId,
            { kind: 'escalation.escalated', details: { by: userId, reason: 'escalate_now' } },
            { occurredAt: now, actorId: userId },
          );
          emit(incidentRefreshJob, { incidentId });
        }
        return restarted;
      });
      if (escalated) {
        await jobs.scheduleStep({
          incidentId,
          epoch: escalated.epoch,
          step: escalated.step,
          loop: escalated.loop,
          dueAt: now,
        });
      }
      return escalated;
    },

    /** Resolving stops everything: no timer of an older epoch will page. */
    async stop(incidentId: number, reason: string): Promise<boolean> {
      const now = clock.now();
      return outbox.transaction(async (tx, emit) => {
        const resolved = await resolveEscalation(tx, incidentId);
        if (resolved) {
          await appendTimelineEvent(
            tx,
            incidentId,
            { kind: 'escalation.stopped', details: { reason } },
            { occurredAt: now },
          );
          emit(incidentRefreshJob, { incidentId });
        }
        return resolved !== null;
      });
    },
  };
}
