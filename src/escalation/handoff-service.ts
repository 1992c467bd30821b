import type { Clock } from '../clock.js';
import type { Pool, Queryable } from '../db/pool.js';
import { handoffAnnounceJob } from '../jobs/handoff-announce.js';
import { handoffFireJob } from '../jobs/handoff-fire.js';
import type { Outbox } from '../jobs/outbox.js';
import { type ShiftNotice, shiftNoticeJob } from '../jobs/shift-notice.js';
import { usergroupSyncJob } from '../jobs/usergroup-sync.js';
import type { Logger } from '../logger.js';
import { type Handoff, onCallAt, planHandoffWork, stretchStart } from './handoff-plan.js';
import {
  advanceHandoffTimer,
  countScheduleIncidents,
  deleteHandoffTimersExcept,
  type HandoffTimer,
  listOverdueHandoffTimers,
  lockHandoffTimer,
  recordHandoffAction,
  replanHandoffTimers,
} from './handoff-repo.js';
import { DEFAULT_NOTIFY_BEFORE_MS, type OncallConfig, type Schedule } from './oncall-config.js';
import { effectiveSchedules } from './overrides-repo.js';

export interface HandoffServiceDeps {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  oncall: OncallConfig;
  /** Effects (user group, DMs, channel message) are outbox rows of the fire's transaction. */
  outbox: Outbox;
}

export type HandoffService = ReturnType<typeof createHandoffService>;

/** A timer this long overdue is re-enqueued by the reconciler (its job may have been lost). */
const OVERDUE_GRACE_MS = 2000;

/**
 * Handoffs as durable timers (issue #14). Each schedule has one row (`handoff_timers`) saying when
 * something is next due: a handoff (someone else goes on call) or a shift notice before one. A BullMQ
 * job on the `timers` queue, with the row's epoch in its id, wakes the worker then; the fire handles
 * everything due since the last one under the row's lock, records each action per (schedule, handoff,
 * action) so a repeated fire does nothing twice, writes the effects as outbox rows, and plans the next
 * wake-up. Overrides placed or cancelled in Slack re-plan the timer in their own transaction.
 */
export function createHandoffService(deps: HandoffServiceDeps) {
  const { pool, clock, logger, oncall, outbox } = deps;

  const wake = (timers: HandoffTimer[]) =>
    Promise.all(
      timers.map((t) =>
        t.nextAt
          ? outbox.wake(handoffFireJob, { schedule: t.schedule, epoch: t.epoch }, { dueAt: t.nextAt })
          : undefined,
      ),
    );

  /** The policies that page `name`, as the notices show them ("primary → secondary → @heidi"). */
  function escalationOf(name: string): ShiftNotice['escalation'] {
    return Object.values(oncall.escalationPolicies)
      .filter((policy) =>
        policy.levels.some((level) => level.notify.some((t) => t.kind === 'schedule' && t.schedule === name)),
      )
      .map((policy) => ({
        policy: policy.name,
        levels: policy.levels.map((level) =>
          level.notify.map((t) =>
            t.kind === 'schedule'
              ? { kind: 'schedule' as const, name: t.schedule }
              : { kind: 'user' as const, name: t.user },
          ),
        ),
      }));
  }

  function notice(kind: ShiftNotice['kind'], schedule: Schedule, handoff: Handoff): ShiftNotice {
    return {
      kind,
      schedule: schedule.name,
      user: handoff.to!,
      startsAt: handoff.at,
      until: handoff.until,
      timezone: schedule.timezone,
      escalation: escalationOf(schedule.name),
    };
  }

  /** The effects of the work a fire found due, each recorded once per (schedule, handoff, action). */
  async function emitWork(
    tx: Queryable,
    emit: Parameters<Parameters<Outbox['transaction']>[0]>[1],
    schedule: Schedule,
    effective: Schedule,
    work: ReturnType<typeof planHandoffWork>,
  ): Promise<void> {
    const name = schedule.name;
    const once = (at: Date, action: Parameters<typeof recordHandoffAction>[3]) =>
      recordHandoffAction(tx, name, at, action);
    const last = work.handoffs.at(-1);
    if (last && schedule.slackUsergroup && (await once(last.at, 'usergroup'))) {
      emit(usergroupSyncJob, { schedule: name, at: last.at });
    }
    for (const handoff of work.forewarn) {
      if (await once(handoff.at, 'notice_before')) emit(shiftNoticeJob, notice('before', schedule, handoff));
    }
    for (const handoff of work.announce) {
      if (handoff.to !== null && (await once(handoff.at, 'notice_start'))) {
        emit(shiftNoticeJob, notice('start', schedule, handoff));
      }
      if (schedule.channel && (await once(handoff.at, 'channel_message'))) {
        const since =
          handoff.from === null ? null : stretchStart(effective, new Date(handoff.at.getTime() - 1));
        emit(handoffAnnounceJob, {
          schedule: name,
          channel: schedule.channel,
          at: handoff.at,
          from: handoff.from,
          to: handoff.to,
          incidents: since && {
            since,
            ...(await countScheduleIncidents(tx, name, since, handoff.at)),
          },
        });
      }
    }
  }

  return {
    /**
     * Start-up: every schedule's timer is re-planned to fire now (the rota may have changed while the
     * bot was down), timers of schedules no longer in the file are dropped, and each user group is set
     * to whoever is on call now.
     */
    async start(): Promise<void> {
      const names = Object.keys(oncall.schedules);
      const now = clock.now();
      await outbox.transaction(
        async (tx, emit) => {
          await deleteHandoffTimersExcept(tx, names);
          for (const schedule of Object.values(oncall.schedules)) {
            if (schedule.slackUsergroup) emit(usergroupSyncJob, { schedule: schedule.name, at: now });
          }
          return replanHandoffTimers(tx, names, now);
        },
        (timers) => wake(timers),
      );
    },

    /** The timer of `name` falls due; a job of another epoch is stale and does nothing. */
    async fire(name: string, epoch: number): Promise<void> {
      const now = clock.now();
      await outbox.transaction(
        async (tx, emit): Promise<HandoffTimer[]> => {
          const timer = await lockHandoffTimer(tx, name);
          if (!timer || timer.epoch !== epoch) return [];
          const schedule = oncall.schedules[name];
          if (!schedule) {
            await deleteHandoffTimersExcept(tx, Object.keys(oncall.schedules));
            return [];
          }
          // Woken early (a clock a little behind BullMQ's): wait for next_at under a new epoch.
          if (timer.nextAt && timer.nextAt > now) {
            return [await advanceHandoffTimer(tx, name, timer)];
          }
          // Overrides that ended since the last fire (a cancel) still tell who was on call then.
          const effective = (await effectiveSchedules(tx, oncall, timer.processedUntil))[name]!;
          const work = planHandoffWork(effective, {
            processedUntil: timer.processedUntil,
            now,
            notifyBeforeMs:
              schedule.notifyBeforeMs === undefined ? DEFAULT_NOTIFY_BEFORE_MS : schedule.notifyBeforeMs,
          });
          await emitWork(tx, emit, schedule, effective, work);
          if (work.handoffs.length > 0) {
            logger.info(
              { schedule: name, handoffs: work.handoffs.map((h) => h.at), nextAt: work.nextAt },
              'handoff',
            );
          }
          return [await advanceHandoffTimer(tx, name, { nextAt: work.nextAt, processedUntil: now })];
        },
        (timers) => wake(timers),
      );
    },

    /**
     * In the transaction of an override placed or cancelled: the timers of `schedules` fire at once
     * (after commit, `wake` the returned timers), so the handoff it makes happens now.
     */
    replanInTx: (tx: Queryable, schedules: string[]) => replanHandoffTimers(tx, schedules, clock.now()),
    wake,

    /** Re-enqueues timers whose job should have run (lost Redis data, a crash): the reconciler's part. */
    async reconcile(): Promise<number> {
      const overdue = await listOverdueHandoffTimers(
        pool,
        new Date(clock.now().getTime() - OVERDUE_GRACE_MS),
      );
      await wake(overdue);
      return overdue.length;
    },

    /** Whom `name`'s user group should hold now: who is on call plus usergroup_members_always. */
    async usergroupMembers(name: string): Promise<{ handle: string; members: string[] } | null> {
      const schedule = oncall.schedules[name];
      if (!schedule?.slackUsergroup) return null;
      const now = clock.now();
      const effective = (await effectiveSchedules(pool, oncall, now))[name]!;
      const current = onCallAt(effective, now);
      const members = [...(current ? [current] : []), ...(schedule.usergroupMembersAlways ?? [])];
      return { handle: schedule.slackUsergroup, members: [...new Set(members)] };
    },
  };
}
