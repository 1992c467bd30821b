import type { Clock } from '../clock.js';
import type { Pool, PoolClient } from '../db/pool.js';
import type { OncallConfig } from '../escalation/oncall-config.js';
import type { Identity } from '../escalation/override-access.js';
import { alertGroupRefreshJob } from '../jobs/alert-group-refresh.js';
import { maintenanceAnnounceJob } from '../jobs/maintenance-announce.js';
import { maintenanceEndJob } from '../jobs/maintenance-end.js';
import type { Outbox } from '../jobs/outbox.js';
import { lockServices } from './alert-repo.js';
import type { AfterCommit, AlertPaging, GroupIncidents } from './alert-types.js';
import {
  MAX_MAINTENANCE_MS,
  MIN_FAST_MAINTENANCE_MS,
  MIN_MAINTENANCE_MS,
  mayMaintain,
} from './maintenance-access.js';
import {
  insertMaintenanceWindow,
  listOpenWindows,
  listOverdueWindows,
  listServicesHeldWithoutWindow,
  lockOpenWindow,
  lockService,
  lockWindow,
  type MaintenanceWindow,
  markWindowEnded,
  releaseHeldGroups,
  updateWindowEnd,
  windowService,
} from './maintenance-repo.js';

export type { MaintenanceWindow };

export interface MaintenanceDeps {
  pool: Pool;
  clock: Clock;
  outbox: Outbox;
  oncall: OncallConfig;
  /** Held groups page through it when their window ends. */
  paging: AlertPaging;
  /** …or, on a service with `alerts.declare`, open their incident instead (which pages). */
  incidents?: GroupIncidents | null;
  /** The service's `alerts.channel`, where starts and ends are posted; null: DM whoever started it. */
  alertsChannel(service: string): string | null;
}

export type StartResult =
  | { ok: true; window: MaintenanceWindow; extended: boolean }
  | { ok: false; reason: 'unknown_service' | 'forbidden' }
  | { ok: false; reason: 'bad_duration'; minMs: number; maxMs: number };

export type EndResult =
  | { ok: true; window: MaintenanceWindow; paged: number }
  | { ok: false; reason: 'unknown_service' | 'forbidden' | 'not_in_maintenance' };

export type Maintenance = ReturnType<typeof createMaintenance>;

/**
 * Maintenance windows: while one is in force, intake records the service's new alert groups as held
 * (no paging). When it ends, by `off` or by its timer, the held groups still firing start paging: a
 * problem that outlives the window is not forgotten. The end is a durable timer: the window's
 * `ends_at` is the record, the `maintenance.end` job wakes it, the reconciler re-enqueues overdue ones.
 */
export function createMaintenance(deps: MaintenanceDeps) {
  const { pool, clock, outbox, oncall, paging } = deps;
  const minMs = oncall.paging.allowFastEscalation ? MIN_FAST_MAINTENANCE_MS : MIN_MAINTENANCE_MS;

  const wakeEnd = (w: MaintenanceWindow) =>
    outbox.wake(maintenanceEndJob, { windowId: w.id, endsAt: w.endsAt.getTime() }, { dueAt: w.endsAt });

  function announcement(
    event: 'started' | 'extended' | 'ended',
    w: MaintenanceWindow,
    actor: string | null,
    paged = 0,
  ) {
    return {
      event,
      windowId: w.id,
      service: w.service,
      endsAt: w.endsAt,
      reason: w.reason,
      actor,
      createdBy: w.createdBy,
      channel: deps.alertsChannel(w.service),
      paged,
    };
  }

  /** The service's held groups stop being held; the firing ones page (in `tx`, started after commit). */
  async function release(tx: PoolClient, service: string): Promise<{ paged: number; afters: AfterCommit[] }> {
    const afters: AfterCommit[] = [];
    let paged = 0;
    // Intake decides "held" under this lock: a group it opens now is either seen here or not held.
    await lockServices(tx, [service]);
    for (const group of await releaseHeldGroups(tx, service)) {
      // Its page DMs and channel message show it is no longer held.
      const refresh = await outbox.enqueueInTx(tx, alertGroupRefreshJob, { groupId: group.id });
      afters.push(() => outbox.dispatch([refresh]));
      if (group.state !== 'firing') continue;
      const ref = { id: group.id, service: group.service };
      const after =
        deps.incidents && oncall.services[group.service]?.alerts.declare
          ? await deps.incidents.openGroupIncident(tx, ref)
          : await paging.startGroup(tx, ref);
      paged++;
      if (after) afters.push(after);
    }
    return { paged, afters };
  }

  /** Ends `w` in `tx`: held groups stop being held, the firing ones page; the end is announced. */
  async function endInTx(
    tx: PoolClient,
    w: MaintenanceWindow,
    by: string | null,
    emit: (a: ReturnType<typeof announcement>) => void,
  ): Promise<{ window: MaintenanceWindow; paged: number; afters: AfterCommit[] }> {
    const ended = await markWindowEnded(tx, w.id, clock.now(), by);
    const { paged, afters } = await release(tx, w.service);
    emit(announcement('ended', ended, by, paged));
    return { window: ended, paged, afters };
  }

  const runAfters = async (result: { afters?: AfterCommit[] } | null) => {
    await Promise.all((result?.afters ?? []).map((after) => after()));
  };

  return {
    /** The shortest window allowed, in ms. */
    minMs,

    /** Starts `service`'s window for `durationMs` from now, or moves the end of the one in force. */
    async start(input: {
      service: string;
      durationMs: number;
      reason: string | null;
      actor: Identity;
    }): Promise<StartResult> {
      if (!oncall.services[input.service]) return { ok: false, reason: 'unknown_service' };
      if (!mayMaintain(input.actor, input.service, oncall)) return { ok: false, reason: 'forbidden' };
      if (input.durationMs < minMs || input.durationMs > MAX_MAINTENANCE_MS)
        return { ok: false, reason: 'bad_duration', minMs, maxMs: MAX_MAINTENANCE_MS };
      const now = clock.now();
      const endsAt = new Date(now.getTime() + input.durationMs);
      const result = await outbox.transaction(
        async (tx, emit) => {
          // One window per service: two starts at once must not make two.
          await lockService(tx, input.service);
          const open = await lockOpenWindow(tx, input.service);
          const window = open
            ? await updateWindowEnd(tx, open.id, { endsAt, reason: input.reason ?? open.reason })
            : await insertMaintenanceWindow(tx, {
                service: input.service,
                startsAt: now,
                endsAt,
                reason: input.reason,
                createdBy: input.actor.id,
              });
          emit(maintenanceAnnounceJob, announcement(open ? 'extended' : 'started', window, input.actor.id));
          return { window, extended: open !== null };
        },
        ({ window }) => wakeEnd(window),
      );
      return { ok: true, ...result };
    },

    /** `/incident maintenance checkout off`: ends the service's window now. */
    async end(service: string, actor: Identity): Promise<EndResult> {
      if (!oncall.services[service]) return { ok: false, reason: 'unknown_service' };
      if (!mayMaintain(actor, service, oncall)) return { ok: false, reason: 'forbidden' };
      const result = await outbox.transaction(async (tx, emit) => {
        await lockService(tx, service);
        const open = await lockOpenWindow(tx, service);
        if (!open) return null;
        return endInTx(tx, open, actor.id, (a) => emit(maintenanceAnnounceJob, a));
      }, runAfters);
      if (!result) return { ok: false, reason: 'not_in_maintenance' };
      return { ok: true, window: result.window, paged: result.paged };
    },

    /** The `maintenance.end` timer: ends the window if it is still set to end at `endsAtMs` and that is due. */
    async endDue(windowId: number, endsAtMs: number): Promise<boolean> {
      const result = await outbox.transaction(async (tx, emit) => {
        const service = await windowService(tx, windowId);
        if (!service) return null;
        // The service's lock first, as start and `off` take it, then the row.
        await lockService(tx, service);
        const w = await lockWindow(tx, windowId);
        if (!w || w.endedAt || w.endsAt.getTime() !== endsAtMs) return null;
        // Early (a clock ahead of the database's, or a delayed job fired early): the reconciler comes back.
        if (w.endsAt.getTime() > clock.now().getTime() + 1000) return null;
        return endInTx(tx, w, null, (a) => emit(maintenanceAnnounceJob, a));
      }, runAfters);
      return result !== null;
    },

    /** The windows in force, soonest end first. */
    async list(): Promise<MaintenanceWindow[]> {
      const now = clock.now().getTime();
      return (await listOpenWindows(pool)).filter((w) => w.endsAt.getTime() > now);
    },

    /**
     * The reconciler's part: windows whose end is overdue and not handled get their timer again, and
     * groups left held with no window open (opened by intake while the window was being ended) page.
     */
    async reconcile(): Promise<number> {
      const before = new Date(clock.now().getTime() - 2000);
      const overdue = await listOverdueWindows(pool, before);
      for (const w of overdue) await wakeEnd(w);
      for (const service of await listServicesHeldWithoutWindow(pool, before)) {
        await outbox.transaction(async (tx) => {
          await lockService(tx, service);
          return (await lockOpenWindow(tx, service)) ? null : release(tx, service);
        }, runAfters);
      }
      return overdue.length;
    },
  };
}
