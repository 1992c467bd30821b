import type { Clock } from '../clock.js';
import { asDatabaseError, type Pool, type PoolClient, withTransaction } from '../db/pool.js';
import type { Logger } from '../logger.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import {
  acknowledgeEscalation,
  type Escalation,
  findEscalation,
  findEscalationForUpdate,
  insertEscalation,
  insertPages,
  listOverdueEscalations,
  listStalePendingPages,
  resolveEscalation,
  restartEscalation,
  updateEscalationPosition,
} from './escalation-repo.js';
import { isExhaustionCheck, nextPosition, resolveLevelTargets } from './escalation-steps.js';
import type { EscalationPolicy, NotifyTarget, OncallConfig } from './oncall-config.js';
import { effectiveSchedules } from './overrides-repo.js';

export interface StepTimer {
  incidentId: number;
  epoch: number;
  step: number;
  loop: number;
  dueAt: Date;
}

/** What the engine needs from outside once a decision has committed. None may throw. */
export interface EscalationJobs {
  scheduleStep(timer: StepTimer): Promise<void>;
  scheduleAckTimeout(timer: { incidentId: number; epoch: number; dueAt: Date }): Promise<void>;
  /** `mayRepeat`: the send may already have happened (reconciler), so look before sending again. */
  sendPages(pageIds: number[], options?: { mayRepeat?: boolean }): Promise<void>;
  /** Edit every sent DM of the incident and tell the channel (after an ack). */
  announceAcknowledged(incidentId: number): Promise<void>;
  announceExhausted(incidentId: number): Promise<void>;
  /** Paging state changed (started, acknowledged, escalated, stopped): the headline card shows it. */
  stateChanged(incidentId: number): Promise<void>;
}

export interface EscalationServiceDeps {
  pool: Pool;
  clock: Clock;
  jobs: EscalationJobs;
  logger: Logger;
  oncall: OncallConfig;
}

export type AckResult =
  | { ok: true; escalation: Escalation }
  | { ok: false; reason: 'already_acknowledged'; by: string; at: Date }
  | { ok: false; reason: 'not_paging'; state: Escalation['state'] | null };

type AfterCommit = () => Promise<void>;

/** A page by hand waits this long for an ack before saying nobody answered. */
const MANUAL_PAGE_WAIT_MS = 5 * 60_000;

export type EscalationService = ReturnType<typeof createEscalationService>;

/**
 * The paging engine. Postgres holds the state; every decision is taken under the escalation row's
 * lock and checked against the fencing epoch, so a duplicated, late or stale BullMQ job is a no-op
 * and acknowledging never depends on removing a job.
 */
export function createEscalationService(deps: EscalationServiceDeps) {
  const { pool, clock, jobs, logger, oncall } = deps;

  function policyFor(name: string | null): { name: string; policy: EscalationPolicy } | null {
    const policyName = name ?? oncall.paging.defaultPolicy;
    const policy = oncall.escalationPolicies[policyName];
    return policy ? { name: policyName, policy } : null;
  }

  /** Starts paging inside the caller's transaction; returns what to enqueue after it commits. */
  async function startInTransaction(
    tx: PoolClient,
    incidentId: number,
    options: { service: string | null; policy?: string },
  ): Promise<AfterCommit | null> {
    const serviceName = options.service ? oncall.services[options.service]?.escalationPolicy : undefined;
    const chosen = policyFor(options.policy ?? serviceName ?? null);
    if (!chosen) return null;
    const now = clock.now();
    const escalation = await insertEscalation(tx, {
      incidentId,
      policyName: chosen.name,
      policy: chosen.policy,
      startedAt: now,
    });
    if (!escalation) return null;
    await appendTimelineEvent(
      tx,
      incidentId,
      {
        kind: 'escalation.started',
        details: { policy: chosen.name, levels: chosen.policy.levels.length, repeat: chosen.policy.repeat },
      },
      { occurredAt: now },
    );
    return async () => {
      await jobs.scheduleStep({ incidentId, epoch: 0, step: 0, loop: 0, dueAt: now });
      await jobs.stateChanged(incidentId);
    };
  }

  /** A step timer fired: page its level, or do nothing if the escalation moved on. */
  async function fireStep(timer: Omit<StepTimer, 'dueAt'>): Promise<'paged' | 'exhausted' | 'stale'> {
    const outcome = await withTransaction(pool, async (tx) => {
      const esc = await findEscalationForUpdate(tx, timer.incidentId);
      if (
        !esc ||
        esc.state !== 'triggered' ||
        esc.epoch !== timer.epoch ||
        esc.step !== timer.step ||
        esc.loop !== timer.loop
      ) {
        return { kind: 'stale' as const };
      }
      const now = clock.now();
      const { policy } = esc;
      let position = { step: esc.step, loop: esc.loop };
      // Nobody on call at a level moves straight on to the next, as PagerDuty does; bounded by the policy's size.
      for (let guard = 0; guard <= policy.levels.length * (policy.repeat + 1); guard++) {
        if (isExhaustionCheck(policy, position)) {
          await updateEscalationPosition(tx, esc.incidentId, {
            state: 'exhausted',
            ...position,
            nextStepAt: null,
          });
          await appendTimelineEvent(
            tx,
            esc.incidentId,
            { kind: 'escalation.exhausted', details: { passes: position.loop + 1 } },
            { occurredAt: now },
          );
          return { kind: 'exhausted' as const };
        }
        const level = policy.levels[position.step]!;
        const targets = resolveLevelTargets(level.notify, await effectiveSchedules(tx, oncall, now), now);
        const next = nextPosition(policy, position);
        if (targets.length === 0) {
          await appendTimelineEvent(
            tx,
            esc.incidentId,
            {
              kind: 'escalation.level_skipped',
              details: { level: position.step + 1, pass: position.loop + 1, reason: 'nobody on call' },
            },
            { occurredAt: now },
          );
          position = next;
          continue;
        }
        const pages = await insertPages(tx, esc.incidentId, { epoch: esc.epoch, ...position }, targets);
        await appendTimelineEvent(
          tx,
          esc.incidentId,
          {
            kind: 'escalation.paged',
            details: { level: position.step + 1, pass: position.loop + 1, targets },
          },
          { occurredAt: now },
        );
        const dueAt = new Date(now.getTime() + level.escalateAfterMs);
        await updateEscalationPosition(tx, esc.incidentId, {
          state: 'triggered',
          ...next,
          nextStepAt: dueAt,
        });
        return {
          kind: 'paged' as const,
          pageIds: pages.map((p) => p.id),
          next: { incidentId: esc.incidentId, epoch: esc.epoch, ...next, dueAt },
        };
      }
      throw new Error(`escalation of incident ${esc.incidentId} did not settle`);
    });
    if (outcome.kind === 'paged') {
      await jobs.sendPages(outcome.pageIds);
      await jobs.scheduleStep(outcome.next);
    } else if (outcome.kind === 'exhausted') {
      await jobs.announceExhausted(timer.incidentId);
    }
    return outcome.kind;
  }

  /** Acknowledged but unresolved for too long: page again from the first level. */
  async function fireAckTimeout(timer: { incidentId: number; epoch: number }): Promise<boolean> {
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
  }

  return {
    startInTransaction,
    fireStep,
    fireAckTimeout,

    /** Starts paging an incident that is not paging yet (e.g. `/incident page`). */
    async start(incidentId: number, options: { service: string | null; policy?: string }): Promise<boolean> {
      const after = await withTransaction(pool, (tx) => startInTransaction(tx, incidentId, options));
      if (after) await after();
      return after !== null;
    },

    /** One compare-and-set: exactly one of any number of concurrent clicks succeeds. */
    async acknowledge(incidentId: number, userId: string): Promise<AckResult> {
      const acked = await withTransaction(pool, async (tx) => {
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
      await jobs.announceAcknowledged(incidentId);
      await jobs.stateChanged(incidentId);
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
      const escalated = await withTransaction(pool, async (tx) => {
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
        await jobs.stateChanged(incidentId);
      }
      return escalated;
    },

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
        const esc = await findEscalationForUpdate(tx, incidentId);
        if (esc?.state === 'resolved') return { ok: false as const, reason: 'resolved' as const };
        if (!esc) {
          const policy: EscalationPolicy = {
            name: 'manual',
            levels: [{ notify: [target], escalateAfterMs: MANUAL_PAGE_WAIT_MS }],
            repeat: 0,
            ackTimeoutMs: undefined,
          };
          await insertEscalation(tx, { incidentId, policyName: 'manual', policy, startedAt: now });
          await appendTimelineEvent(
            tx,
            incidentId,
            { kind: 'escalation.started', details: { policy: 'manual', levels: 1, repeat: 0 } },
            { occurredAt: now, actorId },
          );
          return {
            ok: true as const,
            target: resolved.target,
            after: () => jobs.scheduleStep({ incidentId, epoch: 0, step: 0, loop: 0, dueAt: now }),
          };
        }
        // Beside a running escalation: step -1 marks a page by hand; `loop` counts them.
        const { rows } = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pages WHERE incident_id = $1 AND step = -1',
          [incidentId],
        );
        const pages = await insertPages(tx, incidentId, { epoch: esc.epoch, step: -1, loop: rows[0]!.n }, [
          resolved,
        ]);
        await appendTimelineEvent(
          tx,
          incidentId,
          { kind: 'escalation.paged', details: { level: 0, pass: 1, targets: [resolved] } },
          { occurredAt: now, actorId },
        );
        return {
          ok: true as const,
          target: resolved.target,
          after: () => jobs.sendPages(pages.map((p) => p.id)),
        };
      });
      if (!outcome.ok) return outcome;
      await outcome.after();
      return { ok: true, target: outcome.target };
    },

    /** Resolving stops everything: no timer of an older epoch will page. */
    async stop(incidentId: number, reason: string): Promise<boolean> {
      const now = clock.now();
      const stopped = await withTransaction(pool, async (tx) => {
        const resolved = await resolveEscalation(tx, incidentId);
        if (resolved) {
          await appendTimelineEvent(
            tx,
            incidentId,
            { kind: 'escalation.stopped', details: { reason } },
            { occurredAt: now },
          );
        }
        return resolved !== null;
      });
      if (stopped) await jobs.stateChanged(incidentId);
      return stopped;
    },

    /** Re-enqueues timers and page sends Postgres says are due: repairs crashes and lost Redis data. */
    async reconcile(graceMs = 2000): Promise<{ timers: number; pages: number }> {
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
        logger.info(
          { timers: overdue.length, pages: pending.length },
          'reconciler re-enqueued escalation work',
        );
      }
      return { timers: overdue.length, pages: pending.length };
    },
  };
}
