/**
 * Alert intake and the actions Slack takes on alert groups. Every call commits in one transaction
 * before it returns, so a route answers 2xx only for what Postgres holds. Concurrent calls are group
 * committed (db/batched.ts): while one transaction is under way the calls that arrive wait and go
 * together in the next, which is what keeps a burst of events at a few round trips per batch.
 */
import type { Clock } from '../clock.js';
import { batched } from '../db/batched.js';
import { isDatabaseUnavailable, type Pool, type PoolClient, withTransaction } from '../db/pool.js';
import { alertGroupRefreshJob } from '../jobs/alert-group-refresh.js';
import type { Effect, Outbox } from '../jobs/outbox.js';
import { insertOutboxEntries } from '../jobs/outbox-repo.js';
import { planBatch } from './alert-batch.js';
import {
  findGroupService,
  insertAlerts,
  insertDeferredRefreshes,
  insertEventRecords,
  insertGroups,
  lockServices,
  readBatchState,
  reserveIds,
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
}

export type AlertService = AlertIntake & AlertActions;

/** paging.group_window when there is no on-call file (the file's own default is the same). */
export const DEFAULT_GROUP_WINDOW_MS = 120_000;

/**
 * How long a refresh for repeats and joins may wait: a stream of repeats then edits each group's
 * messages once per this delay, not once per batch.
 */
const DEFERRED_REFRESH_MS = 2000;

/** How calls are grouped into transactions (see db/batched.ts). */
const BATCH = { maxInFlight: 3, overlapAfterMs: 100, maxBatch: 256 };

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { pool, clock, outbox, paging } = deps;

  async function ingestInTransaction(
    tx: PoolClient,
    events: AlertEvent[],
    emit: (groupId: number, urgent: boolean) => void,
    afters: AfterCommit[],
  ): Promise<IngestResult[]> {
    const now = clock.now();
    const services = [...new Set(events.map((e) => e.service))];
    await lockServices(tx, services);
    const pairs = new Map(
      events.map((e) => [`${e.service}\u0000${e.dedupKey}`, { service: e.service, dedupKey: e.dedupKey }]),
    );
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
    });
    const plan = planBatch(events, state, now);
    const ids =
      plan.groups.length + plan.alerts.length > 0
        ? await reserveIds(tx, { groups: plan.groups.length, alerts: plan.alerts.length })
        : { groups: [], alerts: [] };
    const writes = plan.resolve(ids);
    await insertGroups(tx, writes.groups);
    // Resolves before inserts: a trigger after a resolve in the same batch opens a new row.
    await updateAlerts(tx, writes.changes);
    await insertAlerts(tx, writes.alerts);
    await insertEventRecords(tx, writes.records);
    const transitions = await rollUpGroups(tx, writes.touches, now);
    const settled = new Set(transitions.map((t) => t.id));
    for (const group of writes.groups) {
      if (group.held || settled.has(group.id) || !paging) continue;
      const after = await paging.startGroup(tx, { id: group.id, service: group.service });
      if (after) afters.push(after);
    }
    const opened = new Set(writes.groups.map((g) => g.id));
    for (const transition of transitions) {
      if (opened.has(transition.id) || !paging) continue;
      const after = await paging.stopGroup(tx, transition.id, transition);
      if (after) afters.push(after);
    }
    for (const touch of writes.touches) emit(touch.id, touch.urgent);
    return writes.results;
  }

  /**
   * Runs `fn` in a transaction whose effects (group refreshes) are written in it; once it committed,
   * hands them and what paging left to do to Redis without waiting: the answer and the next batch do
   * not wait on Redis, and a lost enqueue only waits for the reconciler (the rows are in Postgres).
   */
  async function inTransaction<T>(
    fn: (
      tx: PoolClient,
      emit: (groupId: number, urgent: boolean) => void,
      afters: AfterCommit[],
    ) => Promise<T>,
  ): Promise<T> {
    let afters: AfterCommit[] = [];
    let effects: Effect[] = [];
    const result = await withTransaction(pool, async (tx) => {
      afters = [];
      const refreshes = new Map<number, boolean>();
      const value = await fn(
        tx,
        (groupId, urgent) => refreshes.set(groupId, urgent || refreshes.get(groupId) === true),
        afters,
      );
      const refresh = (groupId: number, runAt?: Date) =>
        outbox.effect(alertGroupRefreshJob, { groupId }, runAt ? { runAt } : {});
      const urgent = [...refreshes].filter(([, now]) => now).map(([groupId]) => refresh(groupId));
      const later = new Date(clock.now().getTime() + DEFERRED_REFRESH_MS);
      const deferred = [...refreshes].filter(([, now]) => !now).map(([groupId]) => refresh(groupId, later));
      await insertOutboxEntries(tx, urgent);
      const written = await insertDeferredRefreshes(tx, deferred);
      effects = [...urgent, ...deferred.filter((effect) => written.has(effect.key))];
      return value;
    });
    // Both never throw (see Outbox.dispatch and AfterCommit).
    void Promise.all([outbox.dispatch(effects), ...afters.map((after) => after())]);
    return result;
  }

  let callNumber = 0;
  const ingestBatch = batched(
    (calls: AlertEvent[][]) =>
      inTransaction(async (tx, emit, afters) => {
        const results = await ingestInTransaction(tx, calls.flat(), emit, afters);
        let offset = 0;
        return calls.map((call) => {
          const mine = results.slice(offset, offset + call.length);
          offset += call.length;
          return mine;
        });
      }),
    {
      ...BATCH,
      // Any calls may share a transaction: a batch applies its events in arrival order.
      key: () => callNumber++,
      isolate: (error) => !isDatabaseUnavailable(error),
    },
  );

  /** Acknowledges or resolves a group from Slack: its alerts, then the group (rolled up), as `by`. */
  async function settleGroup(
    groupId: number,
    action: 'acknowledge' | 'resolve',
    by: string,
  ): Promise<boolean> {
    return inTransaction(async (tx, emit, afters) => {
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
        const after = await paging.stopGroup(tx, groupId, transition);
        if (after) afters.push(after);
      }
      emit(groupId, true);
      return true;
    });
  }

  return {
    async ingest(events) {
      if (events.length === 0) return [];
      return ingestBatch(events);
    },
    resolveGroup: (groupId, by) => settleGroup(groupId, 'resolve', by),
    acknowledgeGroup: (groupId, by) => settleGroup(groupId, 'acknowledge', by),
  };
}
