import type { Clock } from '../clock.js';
import { asDatabaseError, type Pool, type PoolClient, withTransaction } from '../db/pool.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PostmortemNarrative } from '../postmortem/postmortem-draft.js';
import { updateNarrative } from '../postmortem/postmortem-repo.js';
import type { TimelineEvent } from '../timeline/timeline-events.js';
import {
  appendSourcedTimelineEvent,
  appendTimelineEvent,
  listTimelineEvents,
  removeSourcedTimelineEvent,
} from '../timeline/timeline-repo.js';
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

/** Work after a commit: re-render the headline, post an update, arm a reminder. None may throw. */
export interface LifecycleFollowUps {
  incidentChanged(incident: Incident): Promise<void>;
  updatePosted(incident: Incident, text: string, by: string): Promise<void>;
  scheduleReminder(incidentId: number, epoch: number, dueAt: Date): Promise<void>;
  sendReminder(incidentId: number, epoch: number): Promise<void>;
  /** Generate the postmortem draft and deliver it (file upload, stored copy, signed link). */
  publishPostmortem(incidentId: number, by: string): Promise<void>;
  /** Archive the channel at `dueAt` if the incident is still closed then (optional feature). */
  scheduleArchive(incidentId: number, closedAt: Date, dueAt: Date): Promise<void>;
}

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
  followUps: LifecycleFollowUps;
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
  const { pool, clock, followUps } = deps;

  function reminderDue(severity: Severity, from: Date): Date | null {
    const every = deps.reminders[severity];
    return every === null ? null : new Date(from.getTime() + every);
  }

  /** Locks the incident, lets `fn` change it, commits, then tells Slack. */
  async function change(
    incidentId: number,
    fn: (tx: PoolClient, incident: Incident, now: Date) => Promise<Incident>,
  ): Promise<Incident> {
    const updated = await withTransaction(pool, async (tx) => {
      const incident = await findIncidentByIdForUpdate(tx, incidentId);
      if (!incident)
        throw new AppError('not_found', `incident ${incidentId} not found`, {
          userMessage: 'That incident no longer exists.',
        });
      return fn(tx, incident, clock.now());
    });
    await followUps.incidentChanged(updated);
    if (updated.reminderDueAt)
      await followUps.scheduleReminder(updated.id, updated.reminderEpoch, updated.reminderDueAt);
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
    /** Arms the first reminder inside the declare transaction. */
    async armReminderInTransaction(tx: PoolClient, incident: Incident): Promise<Incident> {
      const due = reminderDue(incident.severity, incident.declaredAt);
      return due ? updateIncident(tx, incident.id, { reminderDueAt: due }) : incident;
    },

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
      const updated = await change(incidentId, async (tx, incident, now) => {
        refuseClosed(incident, 'post updates');
        await appendTimelineEvent(
          tx,
          incident.id,
          { kind: 'incident.update_posted', details: { text } },
          { occurredAt: now, actorId: actor },
        );
        return updateIncident(tx, incident.id, {
          lastUpdate: { text, at: now },
          ...(isOpen(incident) ? { reminderDueAt: reminderDue(incident.severity, now) } : {}),
        });
      });
      await followUps.updatePosted(updated, text, actor);
      return updated;
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
      const closed = await change(incidentId, async (tx, incident, now) => {
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
        return updateIncident(tx, incident.id, {
          status: 'closed',
          closedAt: now,
          ...(incident.resolvedAt ? {} : { resolvedAt: now }),
          reminderDueAt: null,
        });
      });
      await deps.paging?.stop(incidentId, 'closed');
      await followUps.publishPostmortem(incidentId, actor);
      if (deps.archiveAfterMs && closed.closedAt) {
        await followUps.scheduleArchive(
          closed.id,
          closed.closedAt,
          new Date(closed.closedAt.getTime() + deps.archiveAfterMs),
        );
      }
      return closed;
    },

    async regeneratePostmortem(incidentId: number, actor: string): Promise<void> {
      await followUps.publishPostmortem(incidentId, actor);
    },

    /** A message of the incident channel onto the timeline, at its own time; once, however often asked. */
    async captureMessage(
      incidentId: number,
      message: CapturedMessage,
      postedAt: Date,
      actor: string | null,
    ): Promise<boolean> {
      const added = await guarded(() =>
        appendSourcedTimelineEvent(
          pool,
          incidentId,
          `message:${message.channelId}:${message.ts}`,
          { kind: 'timeline.message_added', details: message },
          { occurredAt: postedAt, actorId: actor },
        ),
      );
      return added !== null;
    },

    async uncaptureMessage(incidentId: number, channelId: string, ts: string): Promise<boolean> {
      return guarded(() => removeSourcedTimelineEvent(pool, incidentId, `message:${channelId}:${ts}`));
    },

    async timeline(incidentId: number): Promise<TimelineEvent[]> {
      return guarded(() => listTimelineEvents(pool, incidentId));
    },

    async followups(incidentId: number): Promise<Followup[]> {
      return guarded(() => listFollowups(pool, incidentId));
    },

    /** A reminder wake-up: nudge if no update came since it was armed; re-arm for the next period. */
    async fireReminder(incidentId: number, epoch: number): Promise<boolean> {
      const due = await withTransaction(pool, async (tx) => {
        const incident = await findIncidentByIdForUpdate(tx, incidentId);
        if (!incident || incident.reminderEpoch !== epoch || !incident.reminderDueAt || !isOpen(incident))
          return null;
        const now = clock.now();
        if (incident.reminderDueAt.getTime() > now.getTime() + 1000) return null;
        const since = incident.lastUpdateAt ?? incident.declaredAt;
        await appendTimelineEvent(
          tx,
          incident.id,
          {
            kind: 'reminder.sent',
            details: {
              to: incident.commanderId,
              overdueMinutes: Math.round((now.getTime() - since.getTime()) / 60_000),
            },
          },
          { occurredAt: now },
        );
        return updateIncident(tx, incident.id, { reminderDueAt: reminderDue(incident.severity, now) });
      });
      if (!due) return false;
      await followUps.sendReminder(due.id, due.reminderEpoch);
      if (due.reminderDueAt) await followUps.scheduleReminder(due.id, due.reminderEpoch, due.reminderDueAt);
      return true;
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
