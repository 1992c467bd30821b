import { reopenAlertGroup } from '../alerts/alert-group-view.js';
import type { PoolClient, Queryable } from '../db/pool.js';
import { alertGroupRefreshJob } from '../jobs/alert-group-refresh.js';
import { escalationAcknowledgedJob } from '../jobs/escalation-acknowledged.js';
import { incidentRefreshJob } from '../jobs/incident-refresh.js';
import type { Effect, Outbox } from '../jobs/outbox.js';
import { insertOutboxEntries } from '../jobs/outbox-repo.js';
import { pageAcknowledgedJob } from '../jobs/page-acknowledged.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import { skipPendingDeliveries } from './deliveries-repo.js';
import type { Escalation, EscalationSubject } from './escalation-repo.js';

/** Where a page was acknowledged from: the Slack button, the signed link, an SMS reply, the call. */
export type AckSource = 'slack' | 'link' | 'sms' | 'voice';

/** The outbox's `emit` (see Outbox.transaction). */
export type Emit = Parameters<Parameters<Outbox['transaction']>[0]>[1];

/** A change of an escalation's state that people hear about. */
export type PagingChange =
  | { kind: 'acknowledged'; by: string; at: Date; via?: AckSource | undefined }
  | { kind: 'escalated'; by: string | null; reason: 'escalate_now' | 'ack_timeout'; at: Date }
  | { kind: 'stopped'; reason: string; at: Date };

/**
 * What a subject shows of its paging, refreshed whenever the paging changes: an incident's headline
 * card, or an alert group's page DMs and channel message.
 */
export function subjectRefresh(outbox: Pick<Outbox, 'effect'>, subject: EscalationSubject): Effect {
  return 'incidentId' in subject
    ? outbox.effect(incidentRefreshJob, { incidentId: subject.incidentId })
    : outbox.effect(alertGroupRefreshJob, { groupId: subject.alertGroupId });
}

/**
 * Writes what a paging change means for its subject, in the transaction of the change. An incident:
 * the timeline event, its card's refresh, and after an ack the channel line and the DM edits. An alert
 * group (it has no timeline; its pages and its row record it): the refresh of its DMs and message,
 * and when it pages again after an ack, the group and its alerts firing again.
 */
export async function recordPagingChange(
  tx: Queryable,
  esc: Escalation,
  change: PagingChange,
  emit: Emit,
): Promise<void> {
  // The first acknowledgement (any channel), a resolve or paging again stops every pending step of
  // people's rules on this escalation's pages (delivery.send re-checks the page as a backstop).
  await skipPendingDeliveries(tx, esc.id, stepsStoppedBecause(change));
  if (esc.incidentId === null) {
    // Paging again after an ack: the group is unacknowledged again (its page can be acknowledged).
    if (change.kind === 'escalated') await reopenAlertGroup(tx, esc.alertGroupId!);
    emit(alertGroupRefreshJob, { groupId: esc.alertGroupId! });
    return;
  }
  const incidentId = esc.incidentId;
  // A team paged in says which on the timeline; the incident's own paging says nothing more.
  const team = esc.team ? { service: esc.team.service } : {};
  if (change.kind === 'acknowledged') {
    await appendTimelineEvent(
      tx,
      incidentId,
      {
        kind: 'escalation.acknowledged',
        details: change.via ? { by: change.by, via: change.via, ...team } : { by: change.by, ...team },
      },
      { occurredAt: change.at, actorId: change.by },
    );
    // The DMs say who acknowledged, and the card shows it: durable with the ack itself.
    const acked = { incidentId, epoch: esc.epoch, escalationId: esc.id };
    emit(escalationAcknowledgedJob, acked);
    emit(pageAcknowledgedJob, acked);
  } else if (change.kind === 'escalated') {
    await appendTimelineEvent(
      tx,
      incidentId,
      { kind: 'escalation.escalated', details: { by: change.by, reason: change.reason, ...team } },
      change.by ? { occurredAt: change.at, actorId: change.by } : { occurredAt: change.at },
    );
  } else {
    await appendTimelineEvent(
      tx,
      incidentId,
      { kind: 'escalation.stopped', details: { reason: change.reason, ...team } },
      { occurredAt: change.at },
    );
  }
  emit(incidentRefreshJob, { incidentId });
}

function stepsStoppedBecause(change: PagingChange): string {
  if (change.kind === 'acknowledged')
    return `acknowledged by ${change.by}${change.via ? ` (${change.via})` : ''}`;
  return change.kind === 'stopped' ? `paging stopped (${change.reason})` : 'paged again';
}

/**
 * Runs `fn` in the caller's transaction `tx` with an `emit` whose rows are written in `tx`; returns
 * what `fn` returned and the effects to dispatch once `tx` committed.
 */
export async function withEffectsIn<T>(
  outbox: Pick<Outbox, 'effect'>,
  tx: PoolClient | Queryable,
  fn: (emit: Emit) => Promise<T>,
): Promise<{ value: T; effects: Effect[] }> {
  const effects: Effect[] = [];
  const value = await fn((job, payload, options) => {
    effects.push(outbox.effect(job, payload, options));
  });
  await insertOutboxEntries(tx, effects);
  return { value, effects };
}
