import { markAlertGroup } from '../alerts/alert-group-view.js';
import type { AfterCommit, AlertGroupRef, AlertPaging } from '../alerts/alert-types.js';
import type { Queryable } from '../db/pool.js';
import type { Outbox } from '../jobs/outbox.js';
import type { EscalationService } from './escalation-service.js';
import { withEffectsIn } from './paging-subject.js';

export type AlertGroupPaging = ReturnType<typeof createAlertPaging>;

/**
 * Alert groups page through the same engine as incidents (same escalation rows, timers, pages,
 * fencing epochs, reconciler): intake starts and stops a group's escalation inside its own
 * transaction (AlertPaging), and the alert page's buttons acknowledge and escalate it as an
 * incident's do. What people see is refreshed by the `alert-group.refresh` job.
 */
export function createAlertPaging({
  escalation,
  outbox,
}: {
  escalation: EscalationService;
  outbox: Pick<Outbox, 'effect' | 'dispatch'>;
}) {
  const paging: AlertPaging = {
    startGroup: (tx: Queryable, group: AlertGroupRef) =>
      escalation.startGroupInTransaction(tx, group.id, group.service),

    async stopGroup(tx, groupId, how): Promise<AfterCommit | null> {
      await markAlertGroup(tx, groupId, how);
      const { value: esc, effects } = await withEffectsIn(outbox, tx, async (emit) => {
        const subject = { alertGroupId: groupId };
        // Each emits the group's refresh when it changed the escalation.
        return how.state === 'resolved'
          ? await escalation.stopIn(tx, subject, `resolved by ${how.by}`, emit)
          : await escalation.acknowledgeIn(tx, subject, how.by, emit);
      });
      // Nothing paged (held, or already stopped): intake's own refresh of the group shows the change.
      if (!esc) return null;
      return async () => {
        await outbox.dispatch(effects);
        if (esc && how.state === 'acknowledged') await escalation.afterAcknowledge(esc);
      };
    },
  };

  return {
    ...paging,

    /** Escalate now on the alert page: as an incident's (`seenEpoch` from the button). */
    escalateNow(groupId: number, userId: string, seenEpoch: number | null) {
      return escalation.escalateNow({ alertGroupId: groupId }, userId, seenEpoch);
    },
  };
}
