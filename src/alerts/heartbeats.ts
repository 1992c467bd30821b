import type { Clock } from '../clock.js';
import { type Pool, withTransaction } from '../db/pool.js';
import { AppError } from '../errors.js';
import { formatDuration } from '../escalation/duration.js';
import type { HeartbeatSpec } from '../escalation/oncall-config.js';
import type { Severity } from '../incidents/incident-types.js';
import { heartbeatMissJob } from '../jobs/heartbeat-miss.js';
import type { Outbox } from '../jobs/outbox.js';
import type { AlertEvent, AlertIntake, Heartbeats } from './alert-types.js';
import {
  type HeartbeatRow,
  hasOpenAlert,
  listOverdueHeartbeats,
  lockHeartbeat,
  markHeartbeatMissed,
  recordCheckIn,
} from './heartbeat-repo.js';

export interface HeartbeatDeps {
  pool: Pool;
  clock: Clock;
  outbox: Outbox;
  /** The miss is raised, and the recovery resolved, as any other alert. */
  intake: AlertIntake;
  /** The service's heartbeat of that name in oncall.yaml; null when it declares none. */
  heartbeatOf(service: string, name: string): HeartbeatSpec | null;
  /** The severity of a missed-heartbeat alert (default SEV2: a job that stopped running is high). */
  severity?: Severity;
}

export type HeartbeatService = ReturnType<typeof createHeartbeats>;

export const heartbeatDedupKey = (name: string) => `heartbeat:${name}`;

/**
 * Heartbeats: a check-in arms the heartbeat (`due_at` = now + interval + grace, a new epoch); a
 * `heartbeat.miss` timer at `due_at` raises ONE alert "Heartbeat <name> missed" through intake; the
 * next check-in resolves it. The heartbeat row is the timer's record, so a worker restart neither
 * loses the miss (the reconciler re-enqueues it) nor repeats it (a raised miss sets `due_at` to
 * `'infinity'`, and a run that finds the alert already open only records that).
 */
export function createHeartbeats(deps: HeartbeatDeps) {
  const { pool, clock, outbox, intake } = deps;
  const severity = deps.severity ?? 'SEV2';

  const wake = (h: HeartbeatRow & { dueAt: Date }) =>
    outbox.wake(heartbeatMissJob, { service: h.service, name: h.name, epoch: h.epoch }, { dueAt: h.dueAt });

  function event(h: HeartbeatRow, action: 'trigger' | 'resolve', spec: HeartbeatSpec | null): AlertEvent {
    const at = clock.now();
    const details = {
      heartbeat: h.name,
      last_check_in: h.lastCheckinAt.toISOString(),
      ...(spec ? { interval: formatDuration(spec.intervalMs), grace: formatDuration(spec.graceMs) } : {}),
    };
    return {
      service: h.service,
      source: 'heartbeat',
      action,
      dedupKey: heartbeatDedupKey(h.name),
      groupKey: null,
      title: `Heartbeat ${h.name} missed`,
      severity,
      labels: { heartbeat: h.name },
      details,
      links: [],
      at,
      actor: 'heartbeat',
      payload: { ...details, action },
    };
  }

  const heartbeats = {
    /** A check-in (`/alerts/heartbeat/<key>/<name>`): re-arms the heartbeat, resolves its missed alert. */
    async checkIn(service: string, name: string): Promise<void> {
      const spec = deps.heartbeatOf(service, name);
      if (!spec)
        throw new AppError('not_found', `no heartbeat ${name} for service ${service}`, {
          userMessage: `The service declares no heartbeat called "${name}".`,
        });
      const at = clock.now();
      const dueAt = new Date(at.getTime() + spec.intervalMs + spec.graceMs);
      const row = await recordCheckIn(pool, { service, name, at, dueAt });
      await wake({ ...row, dueAt });
      // Read after the upsert (which waited for a miss being raised): that alert is seen and resolved.
      // Any open one is this heartbeat's, so a recovery lost to a crash is made by the next check-in.
      if (await hasOpenAlert(pool, service, heartbeatDedupKey(name)))
        await intake.ingest([event(row, 'resolve', spec)]);
    },

    /** The `heartbeat.miss` timer: raises the missed alert once per epoch. True when it did. */
    async miss(service: string, name: string, epoch: number): Promise<boolean> {
      return withTransaction(pool, async (tx) => {
        const h = await lockHeartbeat(tx, service, name);
        if (!h || h.epoch !== epoch || h.dueAt === null) return false;
        if (h.dueAt.getTime() > clock.now().getTime() + 1000) return false;
        // The row stays locked while intake commits the alert, so a check-in waits and then resolves
        // it. A run that already raised it and died before recording so finds it open: one alert.
        const spec = deps.heartbeatOf(service, name);
        const raise = spec !== null && !(await hasOpenAlert(pool, service, heartbeatDedupKey(name)));
        if (raise) await intake.ingest([event(h, 'trigger', spec)]);
        await markHeartbeatMissed(tx, service, name);
        return raise;
      });
    },

    /** The reconciler's part: overdue heartbeats whose miss is not raised get their timer again. */
    async reconcile(): Promise<number> {
      const overdue = await listOverdueHeartbeats(pool, new Date(clock.now().getTime() - 2000));
      for (const h of overdue) if (h.dueAt) await wake({ ...h, dueAt: h.dueAt });
      return overdue.length;
    },
  };
  return heartbeats satisfies Heartbeats;
}
