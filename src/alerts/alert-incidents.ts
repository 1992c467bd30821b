import type { Clock } from '../clock.js';
import type { Pool, PoolClient, Queryable } from '../db/pool.js';
import { findIncidentById, findIncidentByIdempotencyKey } from '../incidents/incident-repo.js';
import type { DeclareOutcome, IncidentService } from '../incidents/incident-service.js';
import type { DeclareIncidentInput, Incident, Severity } from '../incidents/incident-types.js';
import { alertGroupDeclareJob } from '../jobs/alert-group-declare.js';
import type { Outbox } from '../jobs/outbox.js';
import type { Logger } from '../logger.js';
import { appendSourcedTimelineEvent, appendTimelineEvent } from '../timeline/timeline-repo.js';
import { isWebUrl } from './alert-card.js';
import {
  type AlertActivity,
  type AlertGroupForIncident,
  alertEventRef,
  findAlertGroupForIncident,
  type IncidentAlert,
  linkAlertGroup,
  listAlertsOf,
  listUnrecordedAlertActivity,
} from './alert-incident-repo.js';
import type { AfterCommit, AlertLink, AlertPaging, AlertSource, GroupIncidents } from './alert-types.js';

/** How a source is named where a person would be (the reporter of an incident it declared). */
export const ALERT_SOURCE_NAMES: Record<AlertSource, string> = {
  alertmanager: 'Alertmanager',
  pagerduty: 'PagerDuty Events API',
  webhook: 'Webhook',
  heartbeat: 'Heartbeat',
};

/** incidents.title holds at most 150 characters. */
const MAX_TITLE = 150;

export interface AlertIncidentsDeps {
  pool: Pool;
  clock: Clock;
  outbox: Outbox;
  logger: Logger;
  incidents: Pick<IncidentService, 'declareInTransaction' | 'afterDeclare' | 'logDeclared'>;
  /** The service's `alerts.declare` (oncall.yaml); none: the group's own severity. */
  declareSeverity(service: string): Severity | undefined;
  /** Stops a group's own page when an incident declared from it takes over (null: no paging). */
  paging: Pick<AlertPaging, 'stopGroup'> | null;
}

/** What declaring from a group's Declare button did. */
export type GroupDeclareResult =
  | { kind: 'declared'; incident: Incident; created: boolean }
  /** Someone declared for this group first: its incident. */
  | { kind: 'already_declared'; incident: Incident }
  | { kind: 'no_group' };

export type AlertIncidents = ReturnType<typeof createAlertIncidents>;

/**
 * Incidents from alerts: one incident per alert group at most (alert_groups.incident_id, written
 * under the group's row lock), linked when declared by `alerts.declare` or the Declare button; the
 * alert's events follow on the incident's timeline.
 */
export function createAlertIncidents(deps: AlertIncidentsDeps) {
  const { pool, clock, outbox, incidents } = deps;

  /** Copies the groups' alert events not yet on their incidents' timelines (each once: its source_ref). */
  async function recordAlertActivity(tx: Queryable, groupIds: readonly number[]): Promise<void> {
    if (groupIds.length === 0) return;
    for (const activity of await listUnrecordedAlertActivity(tx, groupIds)) {
      await appendSourcedTimelineEvent(
        tx,
        activity.incidentId,
        alertEventRef(activity.eventId),
        eventOf(activity),
        {
          occurredAt: activity.receivedAt,
          actorId: activity.actor,
        },
      );
    }
  }

  /** Links the group to the incident (the group is row-locked and has none), with its events. */
  async function link(tx: PoolClient, group: AlertGroupForIncident, incident: Incident, by: string | null) {
    await linkAlertGroup(tx, group.id, incident.id);
    await appendTimelineEvent(
      tx,
      incident.id,
      {
        kind: 'alert.linked',
        details: {
          groupId: group.id,
          title: group.title,
          service: group.service,
          source: ALERT_SOURCE_NAMES[group.source],
        },
      },
      { occurredAt: clock.now(), actorId: by },
    );
    await recordAlertActivity(tx, [group.id]);
  }

  async function finish(outcome: DeclareOutcome | null, more: AfterCommit | null = null): Promise<void> {
    if (!outcome) return;
    incidents.logDeclared(outcome);
    await Promise.all([incidents.afterDeclare(outcome), more?.()]);
  }

  const opener: GroupIncidents = {
    async openGroupIncident(tx, group) {
      const effect = await outbox.enqueueInTx(tx, alertGroupDeclareJob, { groupId: group.id });
      return () => outbox.dispatch([effect]);
    },
    recordAlertActivity,
  };

  return {
    ...opener,

    /**
     * The `alert-group.declare` job: declares the group's incident at the service's `alerts.declare`
     * severity, paging through the service's policy whatever `paging.auto_page` says (the alert pages
     * through its incident, never both). The reporter is the source (by name); nobody commands it
     * until someone takes the role. A repeat, or a run racing another, finds the group linked and does
     * nothing.
     */
    async declareForAlertGroup(groupId: number): Promise<Incident | null> {
      let outcome: DeclareOutcome | null = null;
      await outbox.transaction(
        async (tx, emit) => {
          const group = await findAlertGroupForIncident(tx, groupId, { lock: true });
          if (!group || group.incidentId !== null) return;
          const alerts = await listAlertsOf(tx, { groupId });
          outcome = await incidents.declareInTransaction(
            tx,
            emit,
            {
              title: incidentTitle(group.title),
              severity: deps.declareSeverity(group.service) ?? group.severity,
              summary: null,
              service: group.service,
              isPrivate: false,
              reporterId: ALERT_SOURCE_NAMES[group.source],
              commanderId: null,
              originChannelId: null,
              runbookUrl: runbookOf(alerts),
            },
            { idempotencyKey: `alert-group-${groupId}`, page: 'always' },
          );
          await link(tx, group, outcome.incident, null);
        },
        () => finish(outcome),
      );
      return (outcome as DeclareOutcome | null)?.incident ?? null;
    },

    /**
     * The Declare button's modal, submitted: declares with what the person entered, links the group
     * and stops the group's own page (the incident pages by its own severity rules), in one
     * transaction. A double submit (same idempotency key) answers with the incident it made.
     */
    async declareFromGroup(
      groupId: number,
      input: DeclareIncidentInput,
      options: { idempotencyKey: string },
    ): Promise<GroupDeclareResult> {
      let outcome: DeclareOutcome | null = null;
      let stop: AfterCommit | null = null;
      const result = await outbox.transaction(
        async (tx, emit): Promise<GroupDeclareResult> => {
          const group = await findAlertGroupForIncident(tx, groupId, { lock: true });
          if (!group) return { kind: 'no_group' };
          if (group.incidentId !== null) {
            const mine = await findIncidentByIdempotencyKey(tx, options.idempotencyKey);
            if (mine?.id === group.incidentId) return { kind: 'declared', incident: mine, created: false };
            return { kind: 'already_declared', incident: (await findIncidentById(tx, group.incidentId))! };
          }
          const alerts = await listAlertsOf(tx, { groupId });
          outcome = await incidents.declareInTransaction(
            tx,
            emit,
            { ...input, runbookUrl: runbookOf(alerts) },
            { idempotencyKey: options.idempotencyKey },
          );
          await link(tx, group, outcome.incident, input.reporterId);
          stop = deps.paging
            ? await deps.paging.stopGroup(tx, group.id, {
                state: 'acknowledged',
                by: input.reporterId,
                at: clock.now(),
              })
            : null;
          return { kind: 'declared', incident: outcome.incident, created: outcome.created };
        },
        () => finish(outcome, stop),
      );
      return result;
    },

    /** The group as the Declare button shows it (null: no such group). */
    findGroup: (groupId: number) => findAlertGroupForIncident(pool, groupId, { lock: false }),

    /** The alerts linked to an incident, oldest first (the card and the postmortem). */
    listIncidentAlerts: (incidentId: number): Promise<IncidentAlert[]> => listAlertsOf(pool, { incidentId }),
  };
}

function eventOf(activity: AlertActivity) {
  const { alertId, title, service } = activity;
  switch (activity.action) {
    case 'trigger':
      return {
        kind: 'alert.triggered' as const,
        details: { alertId, title, service, count: activity.triggers },
      };
    case 'acknowledge':
      return { kind: 'alert.acknowledged' as const, details: { alertId, title } };
    case 'resolve':
      return { kind: 'alert.resolved' as const, details: { alertId, title } };
  }
}

/** An alert's title as an incident title: one line, at most 150 characters. */
export function incidentTitle(alertTitle: string): string {
  const line = alertTitle.replace(/\s+/g, ' ').trim() || 'Alert';
  const chars = [...line];
  return chars.length <= MAX_TITLE ? line : `${chars.slice(0, MAX_TITLE - 1).join('')}…`;
}

/** The first runbook link of the alerts (an http(s) URL), else null: the service's runbook applies. */
export function runbookOf(alerts: readonly { links: readonly AlertLink[] }[]): string | null {
  for (const { links } of alerts)
    for (const link of links) if (/runbook/i.test(link.text) && isWebUrl(link.href)) return link.href;
  return null;
}
