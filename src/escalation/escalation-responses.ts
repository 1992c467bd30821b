import { asDatabaseError, type Queryable } from '../db/pool.js';
import type { EscalationJobs } from './escalation-jobs.js';
import {
  acknowledgeEscalation,
  type Escalation,
  type EscalationRef,
  findEscalation,
  findEscalationForUpdate,
  resolveEscalation,
  resolveIncidentEscalations,
  restartEscalation,
} from './escalation-repo.js';
import type { EscalationServiceDeps } from './escalation-service.js';
import { isExhaustionCheck } from './escalation-steps.js';
import { type AckSource, type Emit, recordPagingChange } from './paging-subject.js';

export type AckResult =
  | { ok: true; escalation: Escalation }
  | { ok: false; reason: 'already_acknowledged'; by: string; at: Date }
  | { ok: false; reason: 'not_paging'; state: Escalation['state'] | null };

/** An escalation named by its subject or id; a bare number is an incident's id. */
export type PagingTarget = number | EscalationRef;
const refOf = (target: PagingTarget): EscalationRef =>
  typeof target === 'number' ? { incidentId: target } : target;

/**
 * What people (and the ack timeout) do to a running escalation, of an incident or an alert group:
 * acknowledge, escalate now, stop, and page again after an unanswered acknowledgement. Each is a
 * compare-and-set on the escalation's epoch, so a stale button or a repeated job changes nothing.
 */
export function createEscalationResponses({
  pool,
  clock,
  outbox,
  jobs,
}: Pick<EscalationServiceDeps, 'pool' | 'clock' | 'outbox'> & { jobs: EscalationJobs }) {
  /** The acknowledge compare-and-set in `tx`, with what it means for the subject. */
  async function acknowledgeIn(
    tx: Queryable,
    target: PagingTarget,
    userId: string,
    emit: Emit,
    via?: AckSource,
  ): Promise<Escalation | null> {
    const esc = await acknowledgeEscalation(
      tx,
      refOf(target),
      userId,
      () => clock.now(),
      (policy, at) => (policy.ackTimeoutMs ? new Date(at.getTime() + policy.ackTimeoutMs) : null),
    );
    if (esc) {
      await recordPagingChange(
        tx,
        esc,
        { kind: 'acknowledged', by: userId, at: esc.acknowledgedAt!, via },
        emit,
      );
    }
    return esc;
  }

  /** After an ack committed: the ack timeout, if the policy has one. Never throws. */
  async function afterAcknowledge(esc: Escalation): Promise<void> {
    if (esc.nextStepAt) {
      await jobs.scheduleAckTimeout({ escalationId: esc.id, epoch: esc.epoch, dueAt: esc.nextStepAt });
    }
  }

  /**
   * Stopping in `tx`: no timer of an older epoch will page. An incident (a number) stops every
   * escalation it has, its own and every team's paged in; the first one stopped is returned.
   */
  async function stopIn(tx: Queryable, target: PagingTarget, reason: string, emit: Emit) {
    const stopped =
      typeof target === 'number'
        ? await resolveIncidentEscalations(tx, target)
        : [await resolveEscalation(tx, refOf(target))].filter((e) => e !== null);
    const at = clock.now();
    for (const esc of stopped) await recordPagingChange(tx, esc, { kind: 'stopped', reason, at }, emit);
    return stopped[0] ?? null;
  }

  return {
    acknowledgeIn,
    afterAcknowledge,
    stopIn,

    /** Acknowledged but unresolved for too long: page again from the first level. */
    async fireAckTimeout(timer: { escalationId: number; epoch: number }): Promise<boolean> {
      const now = clock.now();
      const restarted = await outbox.transaction(async (tx, emit) => {
        const esc = await restartEscalation(tx, timer.escalationId, {
          fromStates: ['acknowledged'],
          expectedEpoch: timer.epoch,
          step: 0,
          loop: 0,
          nextStepAt: now,
        });
        if (esc) {
          await recordPagingChange(
            tx,
            esc,
            { kind: 'escalated', by: null, reason: 'ack_timeout', at: now },
            emit,
          );
        }
        return esc;
      });
      if (restarted)
        await jobs.scheduleStep({ ...timer, epoch: restarted.epoch, step: 0, loop: 0, dueAt: now });
      return restarted !== null;
    },

    /** One compare-and-set: exactly one of any number of concurrent clicks succeeds. `via`: from where. */
    async acknowledge(target: PagingTarget, userId: string, via?: AckSource): Promise<AckResult> {
      const acked = await outbox.transaction((tx, emit) => acknowledgeIn(tx, target, userId, emit, via));
      if (!acked) {
        const current = await findEscalation(pool, refOf(target)).catch((error) => {
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
      await afterAcknowledge(acked);
      return { ok: true, escalation: acked };
    },

    /**
     * Pages the next level at once. `seenEpoch` is the epoch the person saw on their button: if the
     * escalation moved on since (an ack, another escalate), nothing happens.
     */
    async escalateNow(
      target: PagingTarget,
      userId: string,
      seenEpoch: number | null,
    ): Promise<Escalation | null> {
      const now = clock.now();
      const escalated = await outbox.transaction(async (tx, emit) => {
        const esc = await findEscalationForUpdate(tx, refOf(target));
        if (!esc || esc.state === 'resolved') return null;
        if (seenEpoch !== null && esc.epoch !== seenEpoch) return null;
        // From an exhausted escalation, escalate-now starts another pass at the first level.
        const position = isExhaustionCheck(esc.policy, esc)
          ? { step: 0, loop: 0 }
          : { step: esc.step, loop: esc.loop };
        const restarted = await restartEscalation(tx, esc.id, {
          fromStates: ['triggered', 'acknowledged', 'exhausted'],
          expectedEpoch: esc.epoch,
          ...position,
          nextStepAt: now,
        });
        if (restarted) {
          await recordPagingChange(
            tx,
            restarted,
            { kind: 'escalated', by: userId, reason: 'escalate_now', at: now },
            emit,
          );
        }
        return restarted;
      });
      if (escalated) {
        await jobs.scheduleStep({
          escalationId: escalated.id,
          epoch: escalated.epoch,
          step: escalated.step,
          loop: escalated.loop,
          dueAt: now,
        });
      }
      return escalated;
    },

    /** Resolving stops everything: no timer of an older epoch will page. */
    async stop(target: PagingTarget, reason: string): Promise<boolean> {
      return outbox.transaction(async (tx, emit) => (await stopIn(tx, target, reason, emit)) !== null);
    },
  };
}
