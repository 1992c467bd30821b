import type { Clock } from '../clock.js';
import type { Pool, PoolClient } from '../db/pool.js';
import { coverPostJob } from '../jobs/cover-post.js';
import { coverRefreshJob } from '../jobs/cover-refresh.js';
import { coverTakenJob } from '../jobs/cover-taken.js';
import type { Outbox } from '../jobs/outbox.js';
import {
  type CoverRequest,
  closeCoverRequest,
  expireDueCoverRequests,
  findOverlappingOpenRequest,
  insertCoverRequest,
  lockCoverRequest,
} from './cover-repo.js';
import type { HandoffTimer } from './handoff-repo.js';
import type { OncallConfig, Schedule } from './oncall-config.js';
import {
  type Identity,
  isAdmin,
  isParticipant,
  MAX_OVERRIDE_MS,
  mayPlaceOverride,
  names,
} from './override-access.js';
import type { OverrideService } from './override-service.js';
import { onCallDuring } from './override-service.js';
import { effectiveSchedules, type StoredOverride } from './overrides-repo.js';

/**
 * Cover requests (issue #14): someone on call asks the other participants of their schedule to take
 * part of a shift. The first taker gets an override (the same overrides `/incident oncall override`
 * places); every outcome (taken, cancelled, expired) closes the request with one compare-and-set
 * under the row's lock, so two people taking it at once make one override.
 *
 * Who may: the requester must be on call on the schedule for part of the window; the schedule's
 * other participants and the admins may take it (override-access.ts decides, as for an override the
 * taker puts themself on); the requester and the admins may cancel it. Someone who is neither an
 * admin nor a participant of any schedule is refused before any request is looked up, so they
 * learn nothing of which requests exist.
 */

export interface CoverServiceDeps {
  pool: Pool;
  clock: Clock;
  oncall: OncallConfig;
  outbox: Outbox;
  overrides: Pick<OverrideService, 'placeInTransaction' | 'afterCommit'>;
}

/**
 * Where a request goes: the schedule's team channel when it has one, else a DM to each other
 * participant (`people`, ids or emails as in oncall.yaml; also the fallback when the channel refuses
 * the post).
 */
export interface CoverAudience {
  channel: string | null;
  people: string[];
}

export type WindowProblem = 'ends_before_start' | 'started' | 'too_long';

export type AskResult =
  | { ok: true; request: CoverRequest; audience: CoverAudience }
  | { ok: false; reason: 'unknown_schedule'; schedule: string }
  | { ok: false; reason: 'bad_window'; problem: WindowProblem }
  /** Not on call on `schedule` in the window; on no schedule when `schedule` is null. */
  | { ok: false; reason: 'not_on_call'; schedule: string | null }
  /** No `--schedule`, and on call on several in the window. */
  | { ok: false; reason: 'ambiguous'; schedules: string[] }
  /** No team channel and no other participant to ask. */
  | { ok: false; reason: 'nobody_to_ask'; schedule: string }
  /** The requester already has an open request overlapping this one on that schedule. */
  | { ok: false; reason: 'duplicate'; request: CoverRequest };

/** Refusals shared by taking and cancelling. */
type Closed =
  /** Neither an admin nor a participant of any schedule: the same answer whatever the id. */
  | { ok: false; reason: 'outsider' }
  | { ok: false; reason: 'not_found' }
  /** Taken, cancelled or expired already (`request.status` says which). */
  | { ok: false; reason: 'closed'; request: CoverRequest };

export type TakeResult =
  | { ok: true; request: CoverRequest; override: StoredOverride }
  | Closed
  | { ok: false; reason: 'own_request'; request: CoverRequest }
  /** Not a participant of the request's schedule (nor an admin). */
  | { ok: false; reason: 'not_participant'; request: CoverRequest };

export type CancelResult =
  | { ok: true; request: CoverRequest }
  | Closed
  | { ok: false; reason: 'forbidden'; request: CoverRequest };

export type CoverService = ReturnType<typeof createCoverService>;

/** The schedule's team channel: `channel` when oncall.yaml has one, else `announce_channel`. */
export function teamChannelOf(schedule: Schedule): string | null {
  return schedule.channel ?? schedule.announceChannel ?? null;
}

/** Who is asked to take `requester`'s shift on `schedule`. */
export function coverAudience(schedule: Schedule, requester: Identity): CoverAudience {
  const people = new Set(schedule.layers.flatMap((layer) => layer.participants));
  return {
    channel: teamChannelOf(schedule),
    people: [...people].filter((entry) => !names(entry, requester)),
  };
}

export function windowProblem(from: Date, to: Date, now: Date): WindowProblem | null {
  if (to.getTime() <= from.getTime()) return 'ends_before_start';
  if (from.getTime() <= now.getTime()) return 'started';
  return to.getTime() - from.getTime() > MAX_OVERRIDE_MS ? 'too_long' : null;
}

export function createCoverService({ pool, clock, oncall, outbox, overrides }: CoverServiceDeps) {
  const isOutsider = (who: Identity) =>
    !isAdmin(who, oncall.admins) && !Object.values(oncall.schedules).some((s) => isParticipant(who, s));

  /** Locks request `id` and hands it to `decide` while open; closes it as expired once its start came. */
  function whileOpen<T extends { ok: boolean }>(
    id: number,
    actor: Identity,
    decide: (request: CoverRequest, now: Date, tx: PoolClient) => Promise<T>,
  ): Promise<T | Closed> {
    if (isOutsider(actor)) return Promise.resolve({ ok: false, reason: 'outsider' });
    const now = clock.now();
    return outbox.transaction(async (tx, emit): Promise<T | Closed> => {
      const request = await lockCoverRequest(tx, id);
      if (!request) return { ok: false, reason: 'not_found' };
      if (request.status === 'open' && request.startsAt <= now) {
        // The sweep has not come by yet: the first press after the start expires it.
        await closeCoverRequest(tx, id, { status: 'expired', by: null, at: now });
        emit(coverRefreshJob, { requestId: id });
        return { ok: false, reason: 'closed', request: { ...request, status: 'expired', closedAt: now } };
      }
      if (request.status !== 'open') return { ok: false, reason: 'closed', request };
      const result = await decide(request, now, tx);
      if (result.ok) emit(coverRefreshJob, { requestId: id });
      if (result.ok && 'override' in result) emit(coverTakenJob, { requestId: id });
      return result;
    });
  }

  return {
    /** Posts a request for cover of [from, to) on `schedule`, or on the one schedule the requester is on call on then. */
    async ask(input: {
      requester: Identity;
      schedule: string | null;
      from: Date;
      to: Date;
      reason: string | null;
    }): Promise<AskResult> {
      const { requester, from, to } = input;
      if (input.schedule !== null && !oncall.schedules[input.schedule])
        return { ok: false, reason: 'unknown_schedule', schedule: input.schedule };
      const now = clock.now();
      const problem = windowProblem(from, to, now);
      if (problem) return { ok: false, reason: 'bad_window', problem };
      const effective = await effectiveSchedules(pool, oncall, now);
      const onCall = (name: string) =>
        onCallDuring(effective[name]!, from, to).some((u) => names(u, requester));
      const candidates = input.schedule === null ? Object.keys(oncall.schedules) : [input.schedule];
      const mine = candidates.filter(onCall);
      if (mine.length === 0) return { ok: false, reason: 'not_on_call', schedule: input.schedule };
      if (mine.length > 1) return { ok: false, reason: 'ambiguous', schedules: mine };
      const schedule = mine[0]!;
      const audience = coverAudience(oncall.schedules[schedule]!, requester);
      if (audience.channel === null && audience.people.length === 0)
        return { ok: false, reason: 'nobody_to_ask', schedule };
      return outbox.transaction(async (tx, emit): Promise<AskResult> => {
        const window = { schedule, requestedBy: requester.id, from, to };
        const earlier = await findOverlappingOpenRequest(tx, window);
        if (earlier) return { ok: false, reason: 'duplicate', request: earlier };
        const request = await insertCoverRequest(tx, {
          schedule,
          requestedBy: requester.id,
          startsAt: from,
          endsAt: to,
          reason: input.reason,
        });
        emit(coverPostJob, { requestId: request.id });
        return { ok: true, request, audience };
      });
    },

    /** `actor` takes request `id`: the first taker gets an override for its window. */
    async take(id: number, actor: Identity): Promise<TakeResult> {
      // Handoff timers the new override re-planned, woken once it committed.
      let timers: HandoffTimer[] = [];
      const result = await whileOpen(id, actor, async (request, now, tx): Promise<TakeResult> => {
        if (names(request.requestedBy, actor)) return { ok: false, reason: 'own_request', request };
        const schedule = oncall.schedules[request.schedule];
        const window = { from: request.startsAt, to: request.endsAt, now };
        const verdict =
          schedule && mayPlaceOverride({ actor, person: actor, schedule, ...window }, oncall.admins);
        if (!verdict?.allowed) return { ok: false, reason: 'not_participant', request };
        const placed = await overrides.placeInTransaction(tx, {
          schedule: request.schedule,
          userId: actor.id,
          startsAt: request.startsAt,
          endsAt: request.endsAt,
          createdBy: actor.id,
        });
        const { override } = placed;
        timers = placed.timers;
        const at = { status: 'taken' as const, by: actor.id, at: now, overrideId: override.id };
        // Under the row's lock this cannot fail; if it ever did, the override must not stand.
        if (!(await closeCoverRequest(tx, id, at)))
          throw new Error(`cover request ${id} changed under its lock`);
        const taken = {
          ...request,
          status: 'taken' as const,
          closedBy: actor.id,
          closedAt: now,
          overrideId: override.id,
        };
        return { ok: true, request: taken, override };
      });
      if (timers.length > 0) await overrides.afterCommit(timers);
      return result;
    },

    /** The requester (or an admin) withdraws request `id` while nobody has taken it. */
    cancel(id: number, actor: Identity): Promise<CancelResult> {
      return whileOpen(id, actor, async (request, now, tx): Promise<CancelResult> => {
        if (!names(request.requestedBy, actor) && !isAdmin(actor, oncall.admins))
          return { ok: false, reason: 'forbidden', request };
        await closeCoverRequest(tx, id, { status: 'cancelled', by: actor.id, at: now });
        return { ok: true, request: { ...request, status: 'cancelled', closedBy: actor.id, closedAt: now } };
      });
    },

    /** The sweep: open requests whose start has come are expired, and their copies edited to say so. */
    async expireDue(): Promise<{ expired: number }> {
      return outbox.transaction(async (tx, emit) => {
        const ids = await expireDueCoverRequests(tx, clock.now());
        for (const requestId of ids) emit(coverRefreshJob, { requestId });
        return { expired: ids.length };
      });
    },
  };
}
