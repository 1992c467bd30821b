import type { Clock } from '../clock.js';
import { type Pool, type PoolClient, withTransaction } from '../db/pool.js';
import { AppError } from '../errors.js';
import { channelBookmarkJob } from '../jobs/channel-bookmark.js';
import type { Outbox } from '../jobs/outbox.js';
import { postmortemPublishJob } from '../jobs/postmortem-publish.js';
import type { TimelineEvent } from '../timeline/timeline-events.js';
import { appendTimelineEvent, listTimelineEvents } from '../timeline/timeline-repo.js';
import { type Followup, insertFollowup, listFollowups } from './followup-repo.js';
import { guarded } from './incident-queries.js';
import { findIncidentByIdForUpdate } from './incident-repo.js';
import type { Incident } from './incident-types.js';
import { captureMessage, uncaptureMessage } from './message-capture.js';

export interface CapturedMessage {
  channelId: string;
  ts: string;
  authorId: string | null;
  text: string;
  permalink: string | null;
  via: 'shortcut' | 'pin' | 'reaction';
}

/**
 * What responders add to an incident's record without changing its state (so no card refresh):
 * notes, links, follow-ups, captured channel messages, a fresh postmortem draft; and reading them.
 */
export function createIncidentRecords({ pool, clock, outbox }: { pool: Pool; clock: Clock; outbox: Outbox }) {
  return {
    async addNote(incidentId: number, text: string, actor: string): Promise<TimelineEvent> {
      return guarded(() =>
        withTransaction(pool, async (tx) => {
          const incident = await lockIncident(tx, incidentId);
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
          const incident = await lockIncident(tx, incidentId);
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
          await lockIncident(tx, incidentId);
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
  };
}

/** Locks the incident's row for the transaction; a deleted incident is a clear error. */
async function lockIncident(tx: PoolClient, incidentId: number): Promise<Incident> {
  const incident = await findIncidentByIdForUpdate(tx, incidentId);
  if (!incident) throw new AppError('not_found', 'gone', { userMessage: 'That incident no longer exists.' });
  return incident;
}
