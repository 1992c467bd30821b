import type { Clock } from '../clock.js';
import type { PoolClient } from '../db/pool.js';
import type { Outbox } from '../jobs/outbox.js';
import { reminderFireJob } from '../jobs/reminder-fire.js';
import { reminderSendJob } from '../jobs/reminder-send.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import { findIncidentByIdForUpdate, updateIncident } from './incident-repo.js';
import type { Severity } from './incident-types.js';
import { type Incident, isOpen } from './incident-types.js';

/**
 * Update reminders: when no update came for the severity's cadence, the commander is nudged. The
 * due time and epoch live on the incident (`reminder_due_at`); the wake-up job only looks at them.
 */
export function createUpdateReminders(deps: {
  clock: Clock;
  outbox: Outbox;
  reminders: Record<Severity, number | null>;
}) {
  const { clock, outbox } = deps;

  function reminderDue(severity: Severity, from: Date): Date | null {
    const every = deps.reminders[severity];
    return every == null ? null : new Date(from.getTime() + every);
  }

  /** The reminder wake-up; its record is `reminder_due_at`, so it is enqueued after commit. */
  const scheduleReminder = (incident: Incident) =>
    incident.reminderDueAt
      ? outbox.wake(
          reminderFireJob,
          { incidentId: incident.id, epoch: incident.reminderEpoch },
          { dueAt: incident.reminderDueAt },
        )
      : Promise.resolve();

  return {
    reminderDue,
    scheduleReminder,

    /** Arms the first reminder inside the declare transaction. */
    async armReminderInTransaction(tx: PoolClient, incident: Incident): Promise<Incident> {
      const due = reminderDue(incident.severity, incident.declaredAt);
      return due ? updateIncident(tx, incident.id, { reminderDueAt: due }) : incident;
    },

    /** A reminder wake-up: nudge if no update came since it was armed; re-arm for the next period. */
    async fireReminder(incidentId: number, epoch: number): Promise<boolean> {
      const due = await outbox.transaction(async (tx, emit) => {
        const incident = await findIncidentByIdForUpdate(tx, incidentId);
        if (!incident || incident.reminderEpoch !== epoch || !incident.reminderDueAt || !isOpen(incident))
          return null;
        const now = clock.now();
        if (incident.reminderDueAt.getTime() > now.getTime() + 1000) return null;
        const since = incident.lastUpdateAt ?? incident.declaredAt;
        const event = await appendTimelineEvent(
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
        emit(reminderSendJob, { incidentId: incident.id, eventId: event.id });
        return updateIncident(tx, incident.id, { reminderDueAt: reminderDue(incident.severity, now) });
      });
      if (!due) return false;
      await scheduleReminder(due);
      return true;
    },
  };
}
