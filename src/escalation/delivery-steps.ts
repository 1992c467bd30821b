import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import type { Outbox } from '../jobs/outbox.js';
import type { LinkKeys } from '../postmortem/signed-links.js';
import { createDeliverOne, type DeliverOneDeps } from './deliver-one.js';
import type { Delivery } from './deliveries-repo.js';
import { createDeliveryOutcomes, findDeliveryNote } from './delivery-outcomes.js';
import { findPerson } from './delivery-plan.js';
import type { PageMessage } from './delivery-port.js';
import type { OncallConfig } from './oncall-config.js';
import { pageAckUrl } from './page-ack.js';
import { findPageSubject, type PageSubject } from './page-subject-repo.js';
import { isQuietHoursSkip } from './quiet-hours.js';

export type DeliverySteps = ReturnType<typeof createDeliverySteps>;

/** What every non-Slack channel says of a page: one line, a few lines, and the signed ack link. */
export function pageMessage(subject: PageSubject, ackUrl: string): PageMessage {
  const what = subject.number === null ? 'Alert' : `Incident #${subject.number}`;
  return {
    pageId: subject.pageId,
    severity: subject.severity,
    title: `${subject.severity} ${what}: ${subject.title}`,
    body: `You are paged for ${what.toLowerCase()} "${subject.title}" (${subject.severity}).`,
    ackUrl,
  };
}

/**
 * The steps of people's notification rules, as the `delivery.send` job runs them: deliverOne with
 * what it needs from the rest of the bot. Quiet hours are decided when a step is due, not when it is
 * planned: the severity then (raised to SEV1 meanwhile, the call goes through) and the step's own
 * time count, in oncall.yaml's `timezone` (UTC without one).
 */
export function createDeliverySteps(deps: {
  pool: Pool;
  clock: Clock;
  outbox: Pick<Outbox, 'enqueueInTx' | 'dispatch'>;
  oncall: OncallConfig;
  senders: DeliverOneDeps['senders'];
  linkKeys: LinkKeys;
  baseUrl: () => string;
  retry?: DeliverOneDeps['retry'];
}) {
  const { pool, clock, oncall } = deps;
  const subjectOf = async (pageId: number): Promise<PageSubject> => {
    const subject = await findPageSubject(pool, pageId);
    if (!subject) throw new Error(`page ${pageId} is gone`);
    return subject;
  };
  const deliverOne = createDeliverOne({
    pool,
    clock,
    senders: deps.senders,
    ...(deps.retry ? { retry: deps.retry } : {}),
    compose: async (pageId) =>
      pageMessage(await subjectOf(pageId), pageAckUrl(deps.baseUrl(), deps.linkKeys, pageId, clock.now())),
    async holdBack(delivery: Delivery, now: Date) {
      const person = findPerson(oncall.people, delivery.person);
      if (!person?.quietHours) return null;
      const { severity } = await subjectOf(delivery.pageId);
      if (!isQuietHoursSkip(person, delivery.channel, severity, now, oncall.timezone ?? 'UTC')) return null;
      return `quiet hours (${severity}; only ${person.quietHours.only.join(', ') || 'no severity'} calls and texts through)`;
    },
    recordOutcome: createDeliveryOutcomes({ outbox: deps.outbox, clock }),
  });
  return {
    send: deliverOne,
    /** A failed step's line, for the Slack adapter (slack/delivery-notifier.ts). */
    findNote: (deliveryId: number) => findDeliveryNote(pool, deliveryId),
  };
}
