/**
 * The alert vocabulary and the seams between alert intake (src/alerts, src/http/alert-routes.ts),
 * the paging engine (src/escalation) and Slack (src/slack). Tables: migrations/0012_alerts.sql.
 */
import type { Queryable } from '../db/pool.js';
import type { Severity } from '../incidents/incident-types.js';

export const ALERT_SOURCES = ['alertmanager', 'pagerduty', 'webhook', 'heartbeat'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export type AlertAction = 'trigger' | 'acknowledge' | 'resolve';
export type AlertStatus = 'firing' | 'acknowledged' | 'resolved';

/** A link shown on the alert's page and messages; the runbook comes first. */
export interface AlertLink {
  text: string;
  href: string;
}

/**
 * One event from a source, after its route parsed and validated it: what every source becomes, so
 * dedup, grouping, maintenance and paging are written once.
 */
export interface AlertEvent {
  service: string;
  source: AlertSource;
  action: AlertAction;
  /** Alertmanager fingerprint, PagerDuty dedup_key, webhook dedup_key, or `heartbeat:<name>`. */
  dedupKey: string;
  /** Alertmanager's groupKey (its alerts are shown and paged as one group); null elsewhere. */
  groupKey: string | null;
  title: string;
  severity: Severity;
  labels: Record<string, string>;
  details: Record<string, unknown>;
  links: AlertLink[];
  /** When the source says it happened (startsAt, timestamp), else when it was received. */
  at: Date;
  /** Who, as shown: "Alertmanager", "PagerDuty Events API", "webhook", "heartbeat". */
  actor: string;
  /** The event as received (kept in alert_events). */
  payload: unknown;
}

export interface AlertGroupRef {
  id: number;
  service: string;
}

/** After a transaction committed: enqueue what it decided (never throws). */
export type AfterCommit = () => Promise<void>;

/**
 * What alert intake needs from the paging engine, called inside intake's transaction so the alert
 * rows and the paging decision commit together (no lost and no duplicate page across crashes).
 */
export interface AlertPaging {
  /** A new, not held, group pages through its service's escalation policy. Null: nothing to start. */
  startGroup(tx: Queryable, group: AlertGroupRef): Promise<AfterCommit | null>;
  /**
   * The group was acknowledged or resolved (by its source or in Slack): stop its escalation and edit
   * its page DMs and messages. `by` is a Slack user id or a source's name; null when nothing pages.
   */
  stopGroup(
    tx: Queryable,
    groupId: number,
    how: { state: 'acknowledged' | 'resolved'; by: string; at: Date },
  ): Promise<AfterCommit | null>;
}

/**
 * Incidents from alerts (src/alerts/alert-incidents.ts), called by intake inside its transaction.
 * For a new, not held, group of a service with `alerts.declare`, intake calls `openGroupIncident`
 * INSTEAD of `AlertPaging.startGroup`: the incident pages through the service's policy, never the
 * alert too. After recording events, `recordAlertActivity` copies them onto the timeline of the
 * incident their group is linked to (one index lookup for a group with no incident).
 */
export interface GroupIncidents {
  openGroupIncident(tx: Queryable, group: AlertGroupRef): Promise<AfterCommit | null>;
  recordAlertActivity(tx: Queryable, groupIds: readonly number[]): Promise<void>;
}

/** What Slack's buttons and commands ask of alerts (implemented in src/alerts/alert-service.ts). */
export interface AlertActions {
  /** Resolve every open alert of the group, recorded as `by` (a Slack user id). False: already resolved. */
  resolveGroup(groupId: number, by: string): Promise<boolean>;
  /** Acknowledge the group's open alerts, recorded as `by`. False: not firing any more. */
  acknowledgeGroup(groupId: number, by: string): Promise<boolean>;
}

/** What an accepted event did (the routes answer from it; PagerDuty's answer carries the dedup key). */
export interface IngestResult {
  /** The alert it created or touched; null when it matched nothing (ack/resolve of an unknown key). */
  alertId: number | null;
  dedupKey: string;
  outcome: 'opened' | 'repeated' | 'acknowledged' | 'resolved' | 'ignored';
}

/**
 * Alert intake (src/alerts/alert-service.ts): every source's route, the heartbeat timer and the
 * sandbox call this. All events of one call are committed in one transaction before it returns, so a
 * route answers 2xx only for what Postgres holds.
 */
export interface AlertIntake {
  ingest(events: AlertEvent[]): Promise<IngestResult[]>;
}

/**
 * Slack's side of an alert group (src/slack/alert-presenter.ts), run by the `alert-group.refresh`
 * outbox job (src/jobs/alert-group-refresh.ts, coalesced per group): posts or edits the group's
 * message in the service's `alerts.channel` and edits its page DMs to the group's current state.
 */
export interface AlertPresenter {
  refresh(groupId: number): Promise<void>;
}

/** Heartbeat check-ins (src/alerts/heartbeats.ts): arms the heartbeat and resolves its missed alert. */
export interface Heartbeats {
  checkIn(service: string, name: string): Promise<void>;
}
