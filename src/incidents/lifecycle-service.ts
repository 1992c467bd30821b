import type { Clock } from '../clock.js';
import { asDatabaseError, type Pool, type PoolClient, withTransaction } from '../db/pool.js';
import { AppError } from '../errors.js';
import { channelBookmarkJob } from '../jobs/channel-bookmark.js';
import { incidentArchiveJob } from '../jobs/incident-archive.js';
import { incidentRefreshJob } from '../jobs/incident-refresh.js';
import type { Outbox } from '../jobs/outbox.js';
import { postmortemPublishJob } from '../jobs/postmortem-publish.js';
import { updatePostJob } from '../jobs/update-post.js';
import type { Logger } from '../logger.js';
import type { PostmortemNarrative } from '../postmortem/postmortem-draft.js';
import { updateNarrative } from '../postmortem/postmortem-repo.js';
import type { TimelineEvent } from '../timeline/timeline-events.js';
import { appendTimelineEvent, listTimelineEvents } from '../timeline/timeline-repo.js';
import { type Followup, insertFollowup, listFollowups } from './followup-repo.js';
import {
  findIncidentById,
  findIncidentByIdForUpdate,
  type IncidentChanges,
  updateIncident,
} from './incident-repo.js';
import {
  type Incident,
  type IncidentRole,
  type IncidentStatus,
  isOpen,
  OPEN_STATUSES as OPEN,
  type Severity,
} from './incident-types.js';
import { captureMessage, uncaptureMessage } from './message-capture.js';
import { createUpdateReminders } from './update-reminders.js';

type Emit = Parameters<Parameters<Outbox['transaction']>[0]>[1];

/** Paging hooks, when paging is configured. */
export interface LifecyclePaging {
  autoPage: Severity[];
  /** Stops any escalation (resolve). */
  stop(incidentId: number, reason: string): Promise<unknown>;
  /** Starts paging if the incident is not paging yet (severity raised to an auto-paged level). */
  startIfIdle(incidentId: number, service: string | null): Promise<unknown>;
}

export interface LifecycleServiceDeps {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  /** Effects (card refresh, update post, postmortem, archive, reminders) go through the outbox. */
  outbox: Outbox;
  reminders: Record<Severity, number | null>;
  paging: LifecyclePaging | null;
  /** Null: closed incidents keep their channel. */
  archiveAfterMs?: number | null;
}

export type LifecycleService = ReturnType<typeof createLifecycleService>;

export interface CapturedMessage {
  channelId: string;
  ts: string;
  authorId: string | null;
  text: string;
  permalink: string | null;
  via: 'shortcut' | 'pin' | 'reaction';
}

const OPEN_STATUSES: IncidentStatus[] = [...OPEN];

/**
 * Running an incident: status, severity, roles, updates, notes, follow-ups, captured messages and
 * update reminders. Each change and its timeline event commit together under the incident's row lock;
 * Slack is told after the commit.
 */
export function createLifecycleService(deps: LifecycleServiceDeps) {
  const { pool, clock, outbox } = deps;
  const reminders = createUpdateReminders(deps);
  const { reminderDue, scheduleReminder } = reminders;

  /**
   * Locks the incident, lets `fn` change it and emit effects; the card refresh and those effects are
   * outbox rows of the same transaction, handed to the queue after commit.
   */
  async function change(
    incidentId: number,
    fn: (tx: PoolClient, incident: Incident, now: Date, emit: Emit) => Promise<Incident>,
  ): Promise<Incident> {
    const updated = await outbox.transaction(async (tx, emit) => {
      const incident = await findIncidentByIdForUpdate(tx, incidentId);
      if (!incident)
        throw new AppError('not_found', `incident ${incidentId} not found`, {
          userMessage: 'That incident no longer exists.',
        });
      const changed = await fn(tx, incident, clock.now(), emit);
      emit(incidentRefreshJob, { incidentId });
      return changed;
    });
    await scheduleReminder(updated);
    return updated;
  }

  function refuseClosed(incident: Incident, what: string): void {
    if (incident.status === 'closed') {
      throw new AppError('conflict', `incident ${incident.number} is closed`, {
        userMessage: `Incident #${incident.number} is closed; \`/incident reopen\` it before you ${what}.`,
      });
    }
  }

  return {
    armReminderInTransaction: reminders.armReminderInTransaction,
    fireReminder: reminders.fireReminder,

    async setStatus(incidentId: number, status: IncidentStatus, actor: string): Promise<Incident> {
      const updated = await change(incidentId, async (tx, incident, now) => {
        refuseClosed(incident, 'change its status');
        if (incident.status === status) {
          throw new AppError('conflict', 'same status', {
            userMessage: `Incident #${incident.number} is already ${status}.`,
          });
        }
        const changes: IncidentChanges = { status };
        if (status === 'resolved') {
          changes.resolvedAt = now;
          changes.reminderDueAt = null;
        } else if (incident.status === 'resolved') {
          changes.resolvedAt = null;
          changes.reminderDueAt = reminderDue(incident.severity, now);
        }
        await appendTimelineEvent(
          tx,
          incident.id,
          { kind: 'incident.status_changed', details: { from: incident.status, to: status } },
          { occurredAt: now, actorId: actor },
        );
        return updateIncident(tx, incident.id, changes);
      });
      if (status === 'resolved') await deps.paging?.stop(incidentId, 'resolved');
      return updated;
    },

    async setSeverity(incidentId: number, severity: Severity, actor: string): Promise<Incident> {
      const updated = await change(incidentId, async (tx, incident, now) => {
        refuseClosed(incident, 'change its severity');
        if (incident.severity === severity) {
          throw new AppError('conflict', 'same severity', {
            userMessage: `Incident #${incident.number} is already ${severity}.`,
          });
        }
        await appendTimelineEvent(
          tx,
          incident.id,
          { kind: 'incident.severity_changed', details: { from: incident.severity, to: severity } },
          { occurredAt: now, actorId: actor },
        );
        const from = incident.lastUpdateAt ?? incident.declaredAt;
        return updateIncident(tx, incident.id, {
          severity,
          ...(isOpen(incident) ? { reminderDueAt: reminderDue(severity, from) } : {}),
        });
      });
      // Raised to a level that pages: page now, as a declare at that severity would have.
      if (isOpen(updated) && deps.paging?.autoPage.includes(severity))
        await deps.paging.startIfIdle(updated.id, updated.service);
      return updated;
    },

    async assignRole(
      incidentId: number,
      role: IncidentRole,
      userId: string,
      actor: string,
    ): Promise<Incident> {
      return change(incidentId, async (tx, incident, now) => {
        refuseClosed(incident, 'assign roles');
        const column = { commander: 'commanderId', comms: 'commsId', scribe: 'scribeId' } as const;
        const previous = incident[column[role]];
        await appendTimelineEvent(
          tx,
          incident.id,
          { kind: 'incident.role_assigned', details: { role, userId, previous } },
          { occurredAt: now, actorId: actor },
        );
        return updateIncident(tx, incident.id, { [column[role]]: userId });
      });
    },

    async postUpdate(incidentId: number, text: string, actor: string): Promise<Incident> {
      return change(incidentId, async (tx, incident, now, emit) => {
        refuseClosed(incident, 'post updates');
        const event = await appendTimelineEvent(
          tx,
          incident.id,
          { kind: 'incident.update_posted', details: { text } },
          { occurredAt: now, actorId: actor },
        );
        emit(updatePostJob, { incidentId: incident.id, eventId: event.id, text, by: actor });
        return updateIncident(tx, incident.id, {
          lastUpdate: { text, at: now },
          ...(isOpen(incident) ? { reminderDueAt: reminderDue(incident.severity, now) } : {}),
        });
      });
    },

    async addNote(incidentId: number, text: string, actor: string): Promise<TimelineEvent> {
      return guarded(() =>
        withTransaction(pool, async (tx) => {
          const incident = await findIncidentByIdForUpdate(tx, incidentId);
          if (!incident)
            throw new AppError('not_found', 'gone', { userMessage: 'That incident no longer exists.' });
          return appendTimelineEvent(
            tx,
            incident.id,
            { kind: 'incident.note_added', details: { text } },
            { occurredAt: clock.now(), actorId: actor },
          );
        }),
      );
    },

    /** A link for responders: on the timeline, bookmarked in the channel, listed in the postmortem. */
    async addLink(incidentId: number, link: { url: string; title: string | null }, actor: string) {
      return guarded(() =>
        outbox.transaction(async (tx, emit) => {
          const incident = await findIncidentByIdForUpdate(tx, incidentId);
          if (!incident)
            throw new AppError('not_found', 'gone', { userMessage: 'That incident no longer exists.' });
          const event = await appendTimelineEvent(
            tx,
            incident.id,
            { kind: 'incident.link_added', details: link },
            { occurredAt: clock.now(), actorId: actor },
          );
          emit(channelBookmarkJob, { incidentId: incident.id, ...link });
          return event;
        }),
      );
    },

    async addFollowup(
      incidentId: number,
      input: { text: string; ownerId: string | null; dueDate: string | null },
      actor: string,
    ): Promise<Followup> {
      return guarded(() =>
        withTransaction(pool, async (tx) => {
          const incident = await findIncidentByIdForUpdate(tx, incidentId);
          if (!incident)
            throw new AppError('not_found', 'gone', { userMessage: 'That incident no longer exists.' });
          const followup = await insertFollowup(tx, { incidentId, ...input, createdBy: actor });
          await appendTimelineEvent(
            tx,
            incidentId,
            {
              kind: 'incident.followup_added',
              details: {
                followupId: followup.id,
                text: input.text,
                ownerId: input.ownerId,
                due: input.dueDate,
              },
            },
            { occurredAt: clock.now(), actorId: actor },
          );
          return followup;
        }),
      );
    },

    async reopen(incidentId: number, actor: string): Promise<Incident> {
      return change(incidentId, async (tx, incident, now) => {
        if (isOpen(incident)) {
          throw new AppError('conflict', 'open', {
            userMessage: `Incident #${incident.number} is still open (${incident.status}).`,
          });
        }
        await appendTimelineEvent(
          tx,
          incident.id,
          { kind: 'incident.reopened', details: { from: incident.status } },
          { occurredAt: now, actorId: actor },
        );
        return updateIncident(tx, incident.id, {
          status: 'investigating',
          resolvedAt: null,
          closedAt: null,
          reminderDueAt: reminderDue(incident.severity, now),
        });
      });
    },

    /** Closes the incident with what the responders wrote; the postmortem draft follows. */
    async close(
      incidentId: number,
      narrative: Partial<PostmortemNarrative>,
      actor: string,
    ): Promise<Incident> {
      const closed = await change(incidentId, async (tx, incident, now, emit) => {
        if (incident.status === 'closed') {
          throw new AppError('conflict', 'closed', {
            userMessage: `Incident #${incident.number} is already closed. \`/incident postmortem\` regenerates its draft.`,
          });
        }
        await updateNarrative(tx, incident.id, narrative);
        await appendTimelineEvent(
          tx,
          incident.id,
          { kind: 'incident.closed', details: { resolution: narrative.resolution ?? null } },
          { occurredAt: now, actorId: actor },
        );
        emit(postmortemPublishJob, { incidentId: incident.id, by: actor, requestedAtMs: now.getTime() });
        if (deps.archiveAfterMs) {
          emit(
            incidentArchiveJob,
            { incidentId: incident.id, closedAtMs: now.getTime() },
            { runAt: new Date(now.getTime() + deps.archiveAfterMs) },
          );
        }
        return updateIncident(tx, incident.id, {
          status: 'closed',
          closedAt: now,
          ...(incident.resolvedAt ? {} : { resolvedAt: now }),
          reminderDueAt: null,
        });
      });
      await deps.paging?.stop(incidentId, 'closed');
      return closed;
    },

    async regeneratePostmortem(incidentId: number, actor: string): Promise<void> {
      await guarded(() =>
        outbox.transaction(async (_tx, emit) => {
          emit(postmortemPublishJob, { incidentId, by: actor, requestedAtMs: clock.now().getTime() });
        }),
      );
    },

    /** A message of the incident channel onto the timeline, at its own time; once, however often asked. */
    captureMessage: (
      incidentId: number,
      message: CapturedMessage,
      postedAt: Date,
      actor: string | null,
      eventId?: string,
    ): Promise<boolean> => captureMessage(pool, { incidentId, message, postedAt, actor, eventId }),

    uncaptureMessage: (
      incidentId: number,
      channelId: string,
      ts: string,
      eventId?: string,
    ): Promise<boolean> => uncaptureMessage(pool, { incidentId, channelId, ts, eventId }),

    async timeline(incidentId: number): Promise<TimelineEvent[]> {
      return guarded(() => listTimelineEvents(pool, incidentId));
    },

    async followups(incidentId: number): Promise<Followup[]> {
      return guarded(() => listFollowups(pool, incidentId));
    },

    async snoozeReminder(incidentId: number, minutes: number, actor: string): Promise<Incident> {
      return change(incidentId, async (tx, incident, now) => {
        await appendTimelineEvent(
          tx,
          incident.id,
          { kind: 'reminder.snoozed', details: { minutes } },
          { occurredAt: now, actorId: actor },
        );
        return updateIncident(tx, incident.id, { reminderDueAt: new Date(now.getTime() + minutes * 60_000) });
      });
    },

    async get(incidentId: number): Promise<Incident> {
      const incident = await guarded(() => findIncidentById(pool, incidentId));
      if (!incident)
        throw new AppError('not_found', 'gone', { userMessage: 'That incident no longer exists.' });
      return incident;
    },

    openStatuses: OPEN_STATUSES,
  };
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asDatabaseError(error);
  }
}
