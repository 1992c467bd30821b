import { type Pool, withTransaction } from '../db/pool.js';
import { claimSlackEvent } from '../db/slack-events-repo.js';
import { appendSourcedTimelineEvent, removeSourcedTimelineEvent } from '../timeline/timeline-repo.js';
import type { CapturedMessage } from './incident-records.js';

/**
 * Messages of an incident channel on its timeline, keyed by channel and ts so each lands once. An
 * Events API delivery's id is recorded in the same transaction as the change: a failure leaves it
 * unrecorded, so Slack's redelivery runs it again, and a repeat of a recorded one changes nothing.
 */
export async function captureMessage(
  pool: Pool,
  input: {
    incidentId: number;
    message: CapturedMessage;
    postedAt: Date;
    actor: string | null;
    eventId?: string;
  },
): Promise<boolean> {
  const { incidentId, message, eventId } = input;
  const added = await withTransaction(pool, async (tx) => {
    if (eventId && !(await claimSlackEvent(tx, eventId))) return null;
    return appendSourcedTimelineEvent(
      tx,
      incidentId,
      `message:${message.channelId}:${message.ts}`,
      { kind: 'timeline.message_added', details: message },
      { occurredAt: input.postedAt, actorId: input.actor },
    );
  });
  return added !== null;
}

/** Takes a captured message off the timeline again (an un-pin, a removed :pushpin:). */
export async function uncaptureMessage(
  pool: Pool,
  input: { incidentId: number; channelId: string; ts: string; eventId?: string },
): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    if (input.eventId && !(await claimSlackEvent(tx, input.eventId))) return false;
    return removeSourcedTimelineEvent(tx, input.incidentId, `message:${input.channelId}:${input.ts}`);
  });
}
