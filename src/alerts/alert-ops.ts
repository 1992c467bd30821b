import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import type { HeartbeatSpec, OncallConfig } from '../escalation/oncall-config.js';
import type { Outbox } from '../jobs/outbox.js';
import { listOpenAlerts } from './alert-queries.js';
import type { AlertIntake, AlertPaging, GroupIncidents } from './alert-types.js';
import { createHeartbeats, type HeartbeatService } from './heartbeats.js';
import { createMaintenance, type Maintenance } from './maintenance.js';

export interface AlertOpsDeps {
  pool: Pool;
  clock: Clock;
  outbox: Outbox;
  /** Null without an oncall.yaml: no service, so no maintenance and no heartbeat. */
  oncall: OncallConfig | null;
  paging: AlertPaging | null;
  intake: AlertIntake | null;
  /** Incidents from alerts: a held group of a service with `alerts.declare` opens one when released. */
  incidents?: GroupIncidents | null;
}

export interface AlertOps {
  maintenance: Maintenance | null;
  heartbeats: HeartbeatService | null;
  alertQueries: { listOpenAlerts(): ReturnType<typeof listOpenAlerts> };
  /** The durable timers the reconciler re-enqueues (window ends, heartbeat misses). */
  timers: { reconcile(): Promise<number> }[];
}

/** What oncall.yaml says about a service's alerts: where they are posted, and its heartbeats. */
export function serviceAlertSettings(oncall: OncallConfig) {
  return {
    alertsChannel: (service: string): string | null => oncall.services[service]?.alerts.channel ?? null,
    heartbeatOf: (service: string, name: string): HeartbeatSpec | null =>
      oncall.services[service]?.heartbeats[name] ?? null,
  };
}

/** Maintenance windows, heartbeats and the open-alert list, built from what the bot has. */
export function createAlertOps(deps: AlertOpsDeps): AlertOps {
  const { pool, clock, outbox, oncall, paging, intake } = deps;
  const settings = oncall ? serviceAlertSettings(oncall) : null;
  const maintenance =
    oncall && paging && settings
      ? createMaintenance({
          pool,
          clock,
          outbox,
          oncall,
          paging,
          incidents: deps.incidents ?? null,
          alertsChannel: settings.alertsChannel,
        })
      : null;
  const heartbeats =
    intake && settings
      ? createHeartbeats({ pool, clock, outbox, intake, heartbeatOf: settings.heartbeatOf })
      : null;
  return {
    maintenance,
    heartbeats,
    alertQueries: { listOpenAlerts: () => listOpenAlerts(pool) },
    timers: [maintenance, heartbeats].filter((t) => t !== null),
  };
}
