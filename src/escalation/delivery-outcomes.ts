import type { Clock } from '../clock.js';
import type { Queryable } from '../db/pool.js';
import { deliveryNoteJob } from '../jobs/delivery-note.js';
import type { Outbox } from '../jobs/outbox.js';
import { THROTTLE_LIMITS, THROTTLE_WINDOW_MS } from '../notify/throttle.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import { type AfterCommit, PAGE_CLOSED } from './deliver-one.js';
import { type Delivery, findDelivery } from './deliveries-repo.js';
import { findPageSubject } from './page-subject-repo.js';

const CHANNEL_WORDS = { sms: 'SMS', voice: 'calls', push: 'pushes', email: 'emails', slack: 'messages' };

/**
 * Why a step did not reach its person, in the words of the channel line ("could not reach @bob by
 * sms: invalid number"): as the sender put it, shortened.
 */
export function failureReason(delivery: Pick<Delivery, 'status' | 'channel' | 'error'>): string {
  const error = delivery.error ?? 'unknown error';
  if (delivery.status === 'throttled') {
    const limit = THROTTLE_LIMITS[delivery.channel];
    return `throttled (at most ${limit} ${CHANNEL_WORDS[delivery.channel]} per ${THROTTLE_WINDOW_MS / 60_000} minutes to one number)`;
  }
  // Twilio's codes are named by the sender ("invalid number (Twilio 21211)"): the name is enough here.
  const text = error.replace(/ \(Twilio \d+\)$/, '').replace(/^email: (5\d\d)/, 'email bounced: $1');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/**
 * What a finished step means beyond its row, in the transaction that records it (deliverOne's
 * `recordOutcome`), once: an incident's timeline says who was reached by which channel, or why not;
 * a failed or throttled step is also said in the incident channel, or for an alert group's page in
 * the channel of the group's message (the service's alerts channel), through the `delivery.note` job.
 * A step the page no longer wanted (acknowledged meanwhile) is recorded on its row only.
 */
export function createDeliveryOutcomes({
  outbox,
  clock,
}: {
  outbox: Pick<Outbox, 'enqueueInTx' | 'dispatch'>;
  clock: Clock;
}) {
  return async function recordOutcome(tx: Queryable, delivery: Delivery): Promise<AfterCommit | undefined> {
    if (delivery.status === 'pending' || delivery.error === PAGE_CLOSED) return undefined;
    const subject = await findPageSubject(tx, delivery.pageId);
    if (!subject) return undefined;
    const who = { person: delivery.person, userId: subject.userId, channel: delivery.channel };
    if (subject.incidentId !== null) {
      await appendTimelineEvent(
        tx,
        subject.incidentId,
        delivery.status === 'sent'
          ? { kind: 'delivery.sent', details: who }
          : {
              kind: 'delivery.failed',
              details: { ...who, outcome: delivery.status, reason: failureReason(delivery) },
            },
        { occurredAt: delivery.sentAt ?? clock.now() },
      );
    }
    if (delivery.status !== 'failed' && delivery.status !== 'throttled') return undefined;
    const effect = await outbox.enqueueInTx(tx, deliveryNoteJob, { deliveryId: delivery.id });
    return () => outbox.dispatch([effect]);
  };
}

/** A failed step's line: where to say it and what. */
export interface DeliveryNote {
  /** Null: an incident whose channel is not set up yet (the line waits for it). */
  channelId: string | null;
  userId: string | null;
  person: string;
  channel: Delivery['channel'];
  reason: string;
}

/**
 * The line of a failed or throttled step, or null: nothing to say, or an alert group whose service
 * has no alerts channel (its page and the step's row record it).
 */
export async function findDeliveryNote(db: Queryable, deliveryId: number): Promise<DeliveryNote | null> {
  const delivery = await findDelivery(db, deliveryId);
  if (delivery?.status !== 'failed' && delivery?.status !== 'throttled') return null;
  const subject = await findPageSubject(db, delivery.pageId);
  if (!subject || (subject.channelId === null && subject.incidentId === null)) return null;
  return {
    channelId: subject.channelId,
    userId: subject.userId,
    person: delivery.person,
    channel: delivery.channel,
    reason: failureReason(delivery),
  };
}
