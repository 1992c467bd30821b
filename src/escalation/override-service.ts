import type { Clock } from '../clock.js';
import type { Pool, Queryable } from '../db/pool.js';
import type { Outbox } from '../jobs/outbox.js';
import { overrideAnnounceJob } from '../jobs/override-announce.js';
import { deleteCoverRequestsEndedBefore } from './cover-repo.js';
import type { HandoffTimer } from './handoff-repo.js';
import type { OncallConfig, Schedule } from './oncall-config.js';
import {
  type Identity,
  isParticipant,
  mayCancelOverride,
  mayPlaceOverride,
  names,
  type OverrideRefusal,
} from './override-access.js';
import {
  cancelOverride,
  deleteOverridesEndedBefore,
  effectiveSchedules,
  insertOverride,
  listCurrentOverrides,
  lockCurrentOverride,
  type StoredOverride,
} from './overrides-repo.js';
import { nextShifts, whoIsOnCall } from './schedule.js';

export interface OverrideServiceDeps {
  pool: Pool;
  clock: Clock;
  oncall: OncallConfig;
  /** The announcement of each override placed or cancelled is an outbox row of that transaction. */
  outbox: Outbox;
  /** Re-plans the schedules' handoff timers in the same transaction, so an override's handoff happens now. */
  handoffs?: HandoffReplanner | null;
}

/** The part of the handoff service (handoff-service.ts) that overrides need. */
export interface HandoffReplanner {
  replanInTx(tx: Queryable, schedules: string[]): Promise<HandoffTimer[]>;
  /** After commit: enqueues the re-planned timers. Never throws. */
  wake(timers: HandoffTimer[]): Promise<unknown>;
}

export type PlaceResult =
  | { ok: true; overrides: StoredOverride[] }
  | { ok: false; reason: 'unknown_schedule'; schedule: string }
  /** No `--schedule`, and the person is in none. */
  | { ok: false; reason: 'in_no_schedule' }
  | { ok: false; reason: OverrideRefusal; schedule: string };

export type CancelResult =
  | { ok: true; override: StoredOverride }
  /** No such override, or it is over already. */
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'forbidden'; override: StoredOverride };

export type OverrideService = ReturnType<typeof createOverrideService>;

/** At most this many shifts are looked at to tell who is displaced (an override lasts 14 days at most). */
const MAX_SHIFTS = 60;

/**
 * Overrides taken in Slack: placed (for admins, or participants covering a shift; override-access.ts),
 * listed, cancelled. They win over oncall.yaml from the moment they are stored: the escalation engine
 * reads them from Postgres whenever a level fires, and a decision taken with an override list that
 * changed since is not applied (escalation-repo.ts).
 */
export function createOverrideService({ pool, clock, oncall, outbox, handoffs }: OverrideServiceDeps) {
  const replan = async (tx: Queryable, schedules: string[]) =>
    (await handoffs?.replanInTx(tx, schedules)) ?? [];
  const wake = async ({ timers }: { timers: HandoffTimer[] }) => handoffs?.wake(timers);
  return {
    /** Puts `person` on call from now for `durationMs`, on `schedule` or on every schedule they are in. */
    async place(input: {
      actor: Identity;
      person: Identity;
      schedule: string | null;
      durationMs: number;
    }): Promise<PlaceResult> {
      const { actor, person } = input;
      if (input.schedule !== null && !oncall.schedules[input.schedule])
        return { ok: false, reason: 'unknown_schedule', schedule: input.schedule };
      const targets = input.schedule
        ? [oncall.schedules[input.schedule]!]
        : Object.values(oncall.schedules).filter((s) => isParticipant(person, s));
      if (targets.length === 0) return { ok: false, reason: 'in_no_schedule' };
      const from = clock.now();
      const to = new Date(from.getTime() + input.durationMs);
      // All or nothing: one refused schedule refuses the command.
      for (const schedule of targets) {
        const verdict = mayPlaceOverride({ actor, person, schedule, from, to, now: from }, oncall.admins);
        if (!verdict.allowed) return { ok: false, reason: verdict.reason, schedule: schedule.name };
      }
      const { placed: overrides } = await outbox.transaction(async (tx, emit) => {
        const before = await effectiveSchedules(tx, oncall, from);
        const placed: StoredOverride[] = [];
        for (const { name } of targets) {
          const override = await insertOverride(tx, {
            schedule: name,
            userId: person.id,
            startsAt: from,
            endsAt: to,
            createdBy: actor.id,
          });
          placed.push(override);
          const displaced = onCallDuring(before[name]!, from, to).filter((user) => !names(user, person));
          emit(overrideAnnounceJob, announcement('placed', override, actor.id, displaced, before[name]!));
        }
        return {
          placed,
          timers: await replan(
            tx,
            targets.map((t) => t.name),
          ),
        };
      }, wake);
      return { ok: true, overrides };
    },

    /**
     * Stores an override in the caller's transaction, for a use case that decided it (a cover
     * request taken: cover-service.ts) and tells people in its own words: nothing is announced here.
     * Its schedule's handoff timer is re-planned in the same transaction; hand `timers` to
     * `afterCommit` once it committed.
     */
    async placeInTransaction(
      tx: Queryable,
      input: Omit<StoredOverride, 'id'>,
    ): Promise<{ override: StoredOverride; timers: HandoffTimer[] }> {
      const override = await insertOverride(tx, input);
      return { override, timers: await replan(tx, [input.schedule]) };
    },

    /** After the commit of a `placeInTransaction`: wakes the re-planned timers. Never throws. */
    afterCommit: (timers: HandoffTimer[]) => wake({ timers }),

    /** Current and future overrides, oldest first; of one schedule when named. */
    async list(schedule: string | null): Promise<StoredOverride[]> {
      const current = await listCurrentOverrides(pool, clock.now());
      return schedule === null ? current : current.filter((o) => o.schedule === schedule);
    },

    /** Cancels override `id` at once, if `actor` may (an admin, whoever placed it, the person covering). */
    async cancel(id: number, actor: Identity): Promise<CancelResult> {
      const now = clock.now();
      const { result } = await outbox.transaction(async (tx, emit) => {
        const refused = (result: CancelResult) => ({ result, timers: [] });
        const override = await lockCurrentOverride(tx, id, now);
        if (!override) return refused({ ok: false, reason: 'not_found' });
        if (!mayCancelOverride(actor, override, oncall.admins))
          return refused({ ok: false, reason: 'forbidden', override });
        await cancelOverride(tx, id, now);
        const after = (await effectiveSchedules(tx, oncall, now))[override.schedule];
        if (after) {
          const from = new Date(Math.max(override.startsAt.getTime(), now.getTime()));
          const back = onCallDuring(after, from, override.endsAt).filter((user) => user !== override.userId);
          emit(overrideAnnounceJob, announcement('cancelled', override, actor.id, back, after));
        }
        const result: CancelResult = { ok: true, override };
        return { result, timers: await replan(tx, [override.schedule]) };
      }, wake);
      return result;
    },
  };
}

function announcement(
  event: 'placed' | 'cancelled',
  override: StoredOverride,
  actor: string,
  others: string[],
  schedule: Schedule,
) {
  return {
    event,
    overrideId: override.id,
    schedule: override.schedule,
    userId: override.userId,
    startsAt: override.startsAt,
    endsAt: override.endsAt,
    actor,
    others,
    channel: schedule.announceChannel ?? null,
  };
}

/** Everyone on call on `schedule` at some instant of [from, to), in order, each once. */
export function onCallDuring(schedule: Schedule, from: Date, to: Date): string[] {
  const users = new Set<string>();
  const first = whoIsOnCall(schedule, from);
  if (first) users.add(first.user);
  for (const shift of nextShifts(schedule, from, MAX_SHIFTS)) {
    if (shift.start >= to) break;
    users.add(shift.user);
  }
  return [...users];
}

/** Deletes overrides and cover requests that ended more than `keepMs` ago (30 days by default): the retention job's work. */
export function createOverrideRetention({
  pool,
  clock,
  keepMs = 30 * 86_400_000,
}: {
  pool: Pool;
  clock: Clock;
  keepMs?: number;
}) {
  return {
    async run(): Promise<{ deleted: number; coverRequests: number }> {
      const before = new Date(clock.now().getTime() - keepMs);
      // Cover requests are kept as long as the overrides they made.
      const coverRequests = await deleteCoverRequestsEndedBefore(pool, before);
      return { deleted: await deleteOverridesEndedBefore(pool, before), coverRequests };
    },
  };
}

export type OverrideRetention = ReturnType<typeof createOverrideRetention>;
