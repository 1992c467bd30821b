import type { Clock } from '../clock.js';
import { batched } from '../db/batched.js';
import { asDatabaseError, isDatabaseUnavailable, type Pool, type Queryable } from '../db/pool.js';
import { escalationExhaustedJob } from '../jobs/escalation-exhausted.js';
import type { Effect, Outbox } from '../jobs/outbox.js';
import type { Logger } from '../logger.js';
import { planSteps } from './delivery-plan.js';
import {
  applyFireDecisions,
  type CurrentOverrides,
  type DueDelivery,
  type FireDecision,
  insertEscalationsStarted,
  readFireSnapshot,
  type StartEscalation,
  subjectKey,
} from './escalation-fire-repo.js';
import { createEscalationJobs, type StepTimer } from './escalation-jobs.js';
import { reconcileEscalations } from './escalation-reconcile.js';
import type { Escalation, EscalationSubject } from './escalation-repo.js';
import { createEscalationResponses } from './escalation-responses.js';
import { createManualPaging } from './manual-page.js';
import type { EscalationPolicy, OncallConfig, Schedule } from './oncall-config.js';
import { withOverrides } from './overrides-repo.js';
import { subjectRefresh } from './paging-subject.js';
import { decideStepAt } from './step-decision.js';
import { createTeamPaging } from './team-paging.js';

export type { StepTimer } from './escalation-jobs.js';
export type { AckResult } from './escalation-responses.js';
export type { EngageResult } from './team-paging.js';

export interface EscalationServiceDeps {
  pool: Pool;
  clock: Clock;
  /** Effects: timers and page sends after commit (their record is this engine's tables); the card
   *  refresh and the ack/exhausted announcements as outbox rows of the deciding transaction. */
  outbox: Outbox;
  logger: Logger;
  oncall: OncallConfig;
}

type AfterCommit = () => Promise<void>;

/** What a step timer needs besides its own position: the policy snapshot and the subject. */
type Known = { policy: EscalationPolicy; startedAt: Date } & Pick<Escalation, 'incidentId' | 'alertGroupId'>;

const subjectIds = (subject: EscalationSubject): Pick<Escalation, 'incidentId' | 'alertGroupId'> =>
  'incidentId' in subject
    ? { incidentId: subject.incidentId, alertGroupId: null }
    : { incidentId: null, alertGroupId: subject.alertGroupId };

/**
 * Step-timer decisions (and starts) are applied one statement at a time, each with every decision
 * that waited for it (at most `maxBatch`): under a burst that is far fewer statements and commits
 * than one per decision. A second statement starts only if the first has taken `overlapAfterMs`
 * (say, it waits for a row lock), so one slow statement cannot hold up every escalation.
 */
const APPLY_OPTIONS = { maxInFlight: 2, overlapAfterMs: 50, maxBatch: 50 };

/** Policy snapshots kept for step timers (an escalation's are dropped when it ends). */
const MAX_KNOWN_ESCALATIONS = 10_000;

export type EscalationService = ReturnType<typeof createEscalationService>;

/**
 * The paging engine. Postgres holds the state; every decision is taken under the escalation row's
 * lock and checked against the fencing epoch, so a duplicated, late or stale BullMQ job is a no-op
 * and acknowledging never depends on removing a job.
 */
export function createEscalationService(deps: EscalationServiceDeps) {
  const { pool, clock, outbox, oncall } = deps;
  const jobs = createEscalationJobs(outbox);
  /** Paging state changed (started, escalated, exhausted): the card or the alert page shows it. */
  const refresh = (subject: EscalationSubject) => subjectRefresh(outbox, subject);

  function policyFor(name: string | null): { name: string; policy: EscalationPolicy } | null {
    const policyName = name ?? oncall.paging.defaultPolicy;
    const policy = oncall.escalationPolicies[policyName];
    return policy ? { name: policyName, policy } : null;
  }

  /**
   * What step timers need besides their own (epoch, step, loop), kept between fires so that a fire
   * is usually one round trip: each escalation's policy snapshot (fixed when it started; `startedAt`
   * tells a re-created escalation apart) and the overrides in force. Both are checked by the statement
   * that applies the decision, so a stale entry only costs a read and a second try.
   */
  const known = new Map<number, Known>();
  let knownOverrides: CurrentOverrides | null = null;
  /** The schedules with each override list applied, built once per list (so on-call lookups are reused). */
  const schedulesWith = new WeakMap<CurrentOverrides, Record<string, Schedule>>();
  const remember = (escalationId: number, entry: Known) => {
    if (known.size >= MAX_KNOWN_ESCALATIONS) known.delete(known.keys().next().value!);
    known.set(escalationId, entry);
  };

  /** Decisions of step timers that fire together are applied together (see batched). */
  const apply = batched((decisions: FireDecision[]) => applyFireDecisions(pool, decisions), {
    ...APPLY_OPTIONS,
    key: (decision) => decision.escalationId,
    isolate: (error) => !isDatabaseUnavailable(error),
  });

  /** What starting to page `subject` now writes: the escalation with its policy, and its first event. */
  function startOf(
    subject: EscalationSubject,
    options: { service: string | null; policy?: string },
  ): StartEscalation | null {
    const serviceName = options.service ? oncall.services[options.service]?.escalationPolicy : undefined;
    const chosen = policyFor(options.policy ?? serviceName ?? null);
    if (!chosen) return null;
    const { name, policy } = chosen;
    return {
      subject,
      policyName: name,
      policy,
      startedAt: clock.now(),
      effects: [refresh(subject)],
      event: {
        kind: 'escalation.started',
        details: { policy: name, levels: policy.levels.length, repeat: policy.repeat },
      },
    };
  }

  /** After a start committed: level 1's timer (due at once) and the refresh of what shows it. */
  async function afterStart(start: StartEscalation, escalationId: number): Promise<void> {
    const { startedAt } = start;
    remember(escalationId, { policy: start.policy, startedAt, ...subjectIds(start.subject) });
    // Both never throw: sent together, they cost one wait for Redis instead of two.
    await Promise.all([
      jobs.scheduleStep({ escalationId, epoch: 0, step: 0, loop: 0, dueAt: startedAt }),
      outbox.dispatch(start.effects as Effect[]),
    ]);
  }

  /** Starts paging inside the caller's transaction; returns what to enqueue after it commits. */
  async function startSubjectInTransaction(
    tx: Queryable,
    subject: EscalationSubject,
    options: { service: string | null; policy?: string },
  ): Promise<AfterCommit | null> {
    const start = startOf(subject, options);
    if (!start) return null;
    const [escalationId] = await insertEscalationsStarted(tx, [start]);
    if (escalationId === null || escalationId === undefined) return null;
    return () => afterStart(start, escalationId);
  }

  /** Starts of different subjects asked for together are written together (see batched). */
  const insertStart = batched((starts: StartEscalation[]) => insertEscalationsStarted(pool, starts), {
    ...APPLY_OPTIONS,
    key: (start) => {
      const ids = subjectIds(start.subject);
      return subjectKey(ids.incidentId, ids.alertGroupId);
    },
    isolate: (error) => !isDatabaseUnavailable(error),
  });

  /**
   * A step timer fired: page its level, or do nothing if the escalation moved on. No explicit
   * transaction: the decision is taken in memory and applied by one statement, only if the escalation
   * is still where the decision was taken from (a compare-and-set under the row lock, with the pages
   * and timeline events in the same transaction). A concurrent acknowledge or escalate either waited
   * for that statement or made it a no-op, exactly as with the lock held across the whole decision.
   * Usually that statement is the only round trip; when what it was decided from is not known or no
   * longer holds, the escalation and overrides are read first (without a lock) and it is tried again.
   */
  async function fireStep(timer: Omit<StepTimer, 'dueAt'>): Promise<'paged' | 'exhausted' | 'stale'> {
    try {
      const cached = known.get(timer.escalationId);
      if (cached && knownOverrides) {
        const esc = { ...timer, id: timer.escalationId, ...cached };
        const decision = decideStep(esc, knownOverrides, clock.now());
        const result = await apply(decision);
        if (result.applied) return afterFire(decision, result);
      }
      for (let attempt = 0; attempt < 3; attempt++) {
        const now = clock.now();
        const snapshot = await readFireSnapshot(pool, timer.escalationId, now);
        if (
          snapshot?.escalation.state !== 'triggered' ||
          snapshot.escalation.epoch !== timer.epoch ||
          snapshot.escalation.step !== timer.step ||
          snapshot.escalation.loop !== timer.loop
        ) {
          known.delete(timer.escalationId);
          return 'stale';
        }
        const esc = snapshot.escalation;
        knownOverrides = snapshot.overrides;
        remember(timer.escalationId, {
          policy: esc.policy,
          startedAt: esc.startedAt,
          incidentId: esc.incidentId,
          alertGroupId: esc.alertGroupId,
        });
        const decision = decideStep(esc, snapshot.overrides, now);
        const result = await apply(decision);
        if (result.applied) return afterFire(decision, result);
      }
    } catch (error) {
      throw asDatabaseError(error);
    }
    // Overrides changed between each read and its apply: BullMQ retries the job.
    throw new Error(`escalation ${timer.escalationId}: overrides kept changing; will retry`);
  }

  /**
   * After a decision committed: the page sends and the next timer, or the exhausted announcement.
   * The timer job does not wait for Redis to take them (they never throw): Postgres already holds the
   * decision, and whatever a crash loses here the reconciler re-enqueues from it (overdue timers,
   * pending pages), exactly as for a crash just before these calls. Waiting would only hold one of
   * the timer worker's slots for a Redis round trip, which under a burst of timers is the bottleneck.
   */
  function afterFire(
    decision: FireDecision,
    { pageIds, deliveries }: { pageIds: number[]; deliveries: DueDelivery[] },
  ): 'paged' | 'exhausted' {
    if (decision.to.state === 'exhausted') {
      known.delete(decision.escalationId);
      void outbox.dispatch(decision.effects as Effect[]);
      return 'exhausted';
    }
    void jobs.sendPages(pageIds);
    void jobs.sendDeliveries(deliveries);
    void jobs.scheduleStep({
      escalationId: decision.escalationId,
      epoch: decision.from.epoch,
      step: decision.to.step,
      loop: decision.to.loop,
      dueAt: decision.to.nextStepAt!,
    });
    return 'paged';
  }

  /** The decision at the escalation's position, with the schedules for `overrides` built once per list. */
  function decideStep(
    esc: Parameters<typeof decideStepAt>[0],
    overrides: CurrentOverrides,
    now: Date,
  ): FireDecision {
    let schedules = schedulesWith.get(overrides);
    if (!schedules) {
      schedules = withOverrides(oncall, overrides.list);
      schedulesWith.set(overrides, schedules);
    }
    const decision = decideStepAt(esc, { schedules, overrides, now }, (subject, epoch, loop, escalationId) =>
      // An incident's channel and announcement hear that nobody answered; an alert page shows it.
      'incidentId' in subject
        ? [
            outbox.effect(escalationExhaustedJob, {
              incidentId: subject.incidentId,
              escalationId,
              epoch,
              loop,
            }),
            refresh(subject),
          ]
        : [refresh(subject)],
    );
    // Each person paged gets their rules' steps, planned with the page in the same statement.
    decision.pages = decision.pages.map((page) => ({
      ...page,
      steps: planSteps(oncall.people, page.target),
    }));
    return decision;
  }

  return {
    /** Severities that page when declared or raised to (oncall.yaml's `paging.auto_page`). */
    autoPage: oncall.paging.autoPage,
    /** Starts paging an incident inside the caller's transaction; returns what to enqueue after it commits. */
    startInTransaction: (
      tx: Queryable,
      incidentId: number,
      options: { service: string | null; policy?: string },
    ) => startSubjectInTransaction(tx, { incidentId }, options),
    /** Starts paging an alert group (its service's policy, else the default) inside the caller's transaction. */
    startGroupInTransaction: (tx: Queryable, alertGroupId: number, service: string) =>
      startSubjectInTransaction(tx, { alertGroupId }, { service }),
    fireStep,
    ...createManualPaging({ pool, clock, oncall, jobs }),
    ...createTeamPaging({ clock, oncall, outbox, jobs }),
    ...createEscalationResponses({ pool, clock, outbox, jobs }),
    reconcile: (graceMs?: number) =>
      reconcileEscalations({ pool, clock, logger: deps.logger, jobs }, graceMs),

    /** Starts paging an incident that is not paging yet (e.g. `/incident page`). */
    async start(incidentId: number, options: { service: string | null; policy?: string }): Promise<boolean> {
      const start = startOf({ incidentId }, options);
      if (!start) return false;
      // One statement is its own transaction: no BEGIN and COMMIT round trips.
      const escalationId = await insertStart(start).catch((error) => {
        throw asDatabaseError(error);
      });
      if (escalationId === null) return false;
      await afterStart(start, escalationId);
      return true;
    },
  };
}
