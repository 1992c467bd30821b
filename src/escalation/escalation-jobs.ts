import { deliverySendJob } from '../jobs/delivery-send.js';
import { escalationAckTimeoutJob } from '../jobs/escalation-ack-timeout.js';
import { escalationStepJob } from '../jobs/escalation-step.js';
import type { Outbox } from '../jobs/outbox.js';
import { pageNoteJob } from '../jobs/page-note.js';
import { pageSendJob } from '../jobs/page-send.js';

export interface StepTimer {
  escalationId: number;
  epoch: number;
  step: number;
  loop: number;
  dueAt: Date;
}

export type EscalationJobs = ReturnType<typeof createEscalationJobs>;

/**
 * The engine's wake-ups and page sends, enqueued after commit. Their record is the engine's own tables
 * (next_step_at, pending pages), from which the reconciler re-enqueues them; none of these throws.
 */
export function createEscalationJobs(outbox: Outbox) {
  const wakeEach = async (
    job: typeof pageSendJob | typeof pageNoteJob,
    pageIds: number[],
    options: { mayRepeat?: boolean },
  ) => {
    await Promise.all(
      pageIds.map((pageId) => outbox.wake(job, options.mayRepeat ? { pageId, mayRepeat: true } : { pageId })),
    );
  };
  return {
    scheduleStep: (t: StepTimer) =>
      outbox.wake(
        escalationStepJob,
        { escalationId: t.escalationId, epoch: t.epoch, step: t.step, loop: t.loop },
        { dueAt: t.dueAt },
      ),
    scheduleAckTimeout: (t: { escalationId: number; epoch: number; dueAt: Date }) =>
      outbox.wake(
        escalationAckTimeoutJob,
        { escalationId: t.escalationId, epoch: t.epoch },
        { dueAt: t.dueAt },
      ),
    /** `mayRepeat`: the send may already have happened (reconciler), so look before sending again. */
    sendPages: (pageIds: number[], options: { mayRepeat?: boolean } = {}) =>
      wakeEach(pageSendJob, pageIds, options),
    /** The planned steps of people's notification rules, each woken at its due time. */
    sendDeliveries: async (deliveries: readonly { id: number; dueAt: Date }[]) => {
      await Promise.all(
        deliveries.map((d) => outbox.wake(deliverySendJob, { deliveryId: d.id }, { dueAt: d.dueAt })),
      );
    },
    /** The pages' lines in the incident channel; `mayRepeat` as for sends. */
    notePages: (pageIds: number[], options: { mayRepeat?: boolean } = {}) =>
      wakeEach(pageNoteJob, pageIds, options),
  };
}
