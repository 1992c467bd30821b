/**
 * Alert intake and the actions Slack takes on alert groups. Every call commits in one transaction
 * before it returns, so a route answers 2xx only for what Postgres holds. Concurrent calls are group
 * committed (db/batched.ts): while one transaction is under way the calls that arrive wait and go
 * together in the next, which is what keeps a burst of events at a few round trips per batch.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { batched } from '../db/batched.js';
import { isDatabaseUnavailable, type Pool, type PoolClient, withTransaction } from '../db/pool.js';
import { alertGroupRefreshJob } from '../jobs/alert-group-refresh.js';
import type { Effect, Outbox } from '../jobs/outbox.js';
import { insertOutboxEntries } from '../jobs/outbox-repo.js';
import { planBatch } from './alert-batch.js';
import { countRepeats, writeBatch } from './alert-batch-repo.js';
import {
  findGroupService,
  lockServices,
  readBatchState,
  rollUpGroups,
  settleGroupAlerts,
  updateAlerts,
} from './alert-repo.js';
import type {
  AfterCommit,
  AlertActions,
  AlertEvent,
  AlertIntake,
  AlertPaging,
  GroupIncidents,
  IngestResult,
} from './alert-types.js';

export interface AlertServiceDeps {
  pool: Pool;
  clock: Clock;
  /** Writes the group refresh effects in intake's transactions and dispatches them after commit. */
  outbox: Outbox;
  /** The paging engine; null without an on-call file (alerts are then recorded, nobody is paged). */
  paging: AlertPaging | null;
  /** paging.group_window of oncall.yaml. */
  groupWindowMs: number;
  /** Incidents from alerts: a new group of a service with `alerts.declare` opens one instead of paging. */
  incidents?: GroupIncidents | null;
  /** Whether the service has `alerts.declare`. */
  declares?: (service: string) => boolean;
}

export type AlertService = AlertIntake & AlertActions;

/** paging.group_window when there is no on-call file (the file's own default is the same). */
export const DEFAULT_GROUP_WINDOW_MS = 120_000;

/**
 * How long a refresh for repeats and joins may wait: a stream of repeats then edits each group's
 * messages once per this delay, not once per batch.
 */
const DEFERRED_REFRESH_MS = 2000;

/** What a transaction leaves for after its commit: effects to dispatch and paging's work. */
interface AfterTransaction {
  effects: Effect[];
  work: AfterCommit[];
}

const pairOf = (event: AlertEvent) => `${event.service}\u0000${event.dedupKey}`;

/** How calls are grouped into transactions (see db/batched.ts), per shard. */
const BATCH = { maxInFlight: 2, overlapAfterMs: 100, maxBatch: 256 };

/** Pipelines of batches, each for a share of the services (at most SHARDS × maxInFlight connections). */
const SHARDS = 4;

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { pool, clock, outbox, paging } = deps;

  /** The refresh of a group now, or after DEFERRED_REFRESH_MS. */
  const refresh = (groupId: number, runAt?: Date) =>
    outbox.effect(alertGroupRefreshJob, { groupId }, runAt ? { runAt } : {});

  async function ingestInTransaction(
    tx: PoolClient,
    events: AlertEvent[],
    after: AfterTransaction,
  ): Promise<IngestResult[]> {
    const now = clock.now();
    const services = [...new Set(events.map((e) => e.service))];
    await lockServices(tx, services);
    const pairs = new Map(
      events.map((e) => [`${e.service}\u0000${e.dedupKey}`, { service: e.service, dedupKey: e.dedupKey }]),
    );
    const triggers = events.filter((e) => e.action === 'trigger');
    const groupKeys = new Map(
      events
        .filter((e) => e.groupKey !== null)
        .map((e) => [`${e.service}\u0000${e.groupKey}`, { service: e.service, groupKey: e.groupKey! }]),
    );
    const state = await readBatchState(tx, {
      pairs: [...pairs.values()],
      groupKeys: [...groupKeys.values()],
      services,
      now,
      since: new Date(now.getTime() - deps.groupWindowMs),
      // At most one group per service and per groupKey, one alert per trigger.
      reserve: {
        groups: triggers.length === 0 ? 0 : services.length + groupKeys.size,
        alerts: triggers.length,
      },
    });
    const writes = planBatch(events, state, now).resolve(state.ids);
    // Status changes first: a trigger after a resolve in the same batch opens a new row.
    if (writes.settles) await updateAlerts(tx, writes.changes);
    const opened = new Set(writes.groups.map((g) => g.id));
    const later = new Date(now.getTime() + DEFERRED_REFRESH_MS);
    const urgent = writes.touches.filter((t) => t.urgent).map((t) => refresh(t.id));
    const deferred = writes.touches.filter((t) => !t.urgent).map((t) => refresh(t.id, later));
    const written = await writeBatch(tx, {
      groups: writes.groups,
      repeats: writes.settles ? [] : writes.changes,
      alerts: writes.alerts,
      records: writes.records,
      raises: writes.touches
        .filter((t) => t.severity !== null && !opened.has(t.id))
        .map((t) => ({ id: t.id, severity: t.severity! })),
      now,
      urgent,
      deferred,
    });
    after.effects.push(...urgent, ...deferred.filter((effect) => written.has(effect.key)));
    const transitions = writes.settles
      ? await rollUpGroups(
          tx,
          writes.touches.filter((t) => t.actor !== null),
          now,
        )
      : [];
    const settled = new Set(transitions.map((t) => t.id));
    for (const group of writes.groups) {
      if (group.held || settled.has(group.id)) continue;
      const ref = { id: group.id, service: group.service };
      // The incident pages instead of the alert, never both.
      const next =
        deps.incidents && deps.declares?.(group.service)
          ? await deps.incidents.openGroupIncident(tx, ref)
          : await paging?.startGroup(tx, ref);
      if (next) after.work.push(next);
    }
    for (const transition of transitions) {
      if (opened.has(transition.id) || !paging) continue;
      const next = await paging.stopGroup(tx, transition.id, transition);
      if (next) after.work.push(next);
    }
    // Only existing groups linked to an incident have a timeline to follow (a group opened here that
    // opens an incident records its events as it links), so most batches skip this round trip.
    const linked = new Set(state.linked ?? []);
    await deps.incidents?.recordAlertActivity(
      tx,
      writes.touches.filter((t) => linked.has(t.id)).map((t) => t.id),
    );
    return writes.results;
  }

  /**
   * Runs `fn` in a transaction; once it committed, hands the effects it wrote (group refreshes) and
   * what paging left to do to Redis without waiting: the answer and the next batch do not wait on
   * Redis, and a lost enqueue only waits for the reconciler (the rows are in Postgres).
   */
  async function inTransaction<T>(fn: (tx: PoolClient, after: AfterTransaction) => Promise<T>): Promise<T> {
    let after: AfterTransaction = { effects: [], work: [] };
    const result = await withTransaction(pool, async (tx) => {
      after = { effects: [], work: [] };
      return fn(tx, after);
    });
    // Both never throw (see Outbox.dispatch and AfterCommit).
    void Promise.all([outbox.dispatch(after.effects), ...after.work.map((work) => work())]);
    return result;
  }

  /**
   * (service, dedup key) pairs this process saw open lately: only their triggers try the fast path
   * (countRepeats), so a stream of new alerts does not pay a round trip for nothing. A hint only:
   * Postgres decides, and a pair it finds not open goes the locked way.
   */
  const seenOpen = new Set<string>();
  const SEEN_OPEN_MAX = 100_000;
  /** Per call, the results of its events counted by the fast path (a retried call skips them). */
  const counted = new WeakMap<AlertEvent[], Map<number, IngestResult>>();

  /** Counts the batch's repeats of open alerts without the services' locks (one autocommit statement). */
  async function countRepeatsFirst(calls: AlertEvent[][]): Promise<void> {
    const all = calls.flatMap((call) => call.map((event, index) => ({ event, call, index })));
    const settling = new Set(all.filter((x) => x.event.action !== 'trigger').map((x) => pairOf(x.event)));
    const candidates = all.filter(
      (x) =>
        x.event.action === 'trigger' &&
        seenOpen.has(pairOf(x.event)) &&
        !settling.has(pairOf(x.event)) &&
        !counted.get(x.call)?.has(x.index),
    );
    if (candidates.length === 0) return;
    const now = clock.now();
    const later = new Date(now.getTime() + DEFERRED_REFRESH_MS);
    // The refresh rows are built in SQL from the group id: its key is this prefix and the id.
    const sample = refresh(1, later);
    const result = await countRepeats(pool, {
      events: candidates.map(({ event }, i) => ({
        i,
        service: event.service,
        dedupKey: event.dedupKey,
        source: event.source,
        actor: event.actor,
        payload: event.payload,
      })),
      now,
      refresh: {
        job: sample.job,
        keyPrefix: sample.key.slice(0, -1),
        runAt: later,
        deadlineMs: sample.deadlineMs,
      },
    });
    for (const { i, id } of result.counted) {
      const { event, call, index } = candidates[i]!;
      let done = counted.get(call);
      if (!done) {
        done = new Map();
        counted.set(call, done);
      }
      done.set(index, { alertId: id, dedupKey: event.dedupKey, outcome: 'repeated' });
    }
    void outbox.dispatch(result.refreshed.map((groupId) => refresh(groupId, later)));
  }

  /** Keeps seenOpen up to date with what a batch did. */
  function noteOutcomes(events: AlertEvent[], results: IngestResult[]) {
    if (seenOpen.size > SEEN_OPEN_MAX) seenOpen.clear();
    results.forEach((result, i) => {
      const pair = pairOf(events[i]!);
      if (result.outcome === 'opened' || result.outcome === 'repeated') seenOpen.add(pair);
      else if (result.outcome === 'resolved') seenOpen.delete(pair);
    });
  }

  let callNumber = 0;
  const pipeline = () =>
    batched(
      async (calls: AlertEvent[][]) => {
        await countRepeatsFirst(calls);
        const rest = calls.map((call) => call.filter((_, index) => !counted.get(call)?.has(index)));
        const flat = rest.flat();
        const results =
          flat.length === 0 ? [] : await inTransaction((tx, after) => ingestInTransaction(tx, flat, after));
        noteOutcomes(flat, results);
        let offset = 0;
        return calls.map((call) => {
          const done = counted.get(call);
          return call.map((_event, index) => {
            const fast = done?.get(index);
            if (fast) return fast;
            return results[offset++]!;
          });
        });
      },
      {
        ...BATCH,
        // Any calls may share a transaction: a batch applies its events in arrival order.
        key: () => callNumber++,
        isolate: (error) => !isDatabaseUnavailable(error),
      },
    );
  // Batches take their services' locks, so batches mixing many services would wait on each other:
  // calls go to one pipeline per shard of services, and shards commit side by side.
  const shards = Array.from({ length: SHARDS }, pipeline);
  const shardOf = (service: string) => shards[createHash('sha1').update(service).digest()[0]! % SHARDS]!;

  /** Acknowledges or resolves a group from Slack: its alerts, then the group (rolled up), as `by`. */
  async function settleGroup(
    groupId: number,
    action: 'acknowledge' | 'resolve',
    by: string,
  ): Promise<boolean> {
    return inTransaction(async (tx, after) => {
      const service = await findGroupService(tx, groupId);
      if (service === null) return false;
      await lockServices(tx, [service]);
      const at = clock.now();
      const changed = await settleGroupAlerts(tx, { groupId, action, by, at });
      if (changed.length === 0) return false;
      const [transition] = await rollUpGroups(
        tx,
        [{ id: groupId, severity: null, actor: by, at, urgent: true }],
        at,
      );
      if (transition && paging) {
        const next = await paging.stopGroup(tx, groupId, transition);
        if (next) after.work.push(next);
      }
      await deps.incidents?.recordAlertActivity(tx, [groupId]);
      const effect = refresh(groupId);
      await insertOutboxEntries(tx, [effect]);
      after.effects.push(effect);
      return true;
    });
  }

  return {
    async ingest(events) {
      if (events.length === 0) return [];
      return shardOf(events[0]!.service)(events);
    },
    resolveGroup: (groupId, by) => settleGroup(groupId, 'resolve', by),
    acknowledgeGroup: (groupId, by) => settleGroup(groupId, 'acknowledge', by),
  };
}
