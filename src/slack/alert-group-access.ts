import type { WebClient } from '@slack/web-api';
import { type AlertGroupAbility, decideAlertGroup } from '../alerts/alert-access.js';
import type { AlertGroupView } from '../alerts/alert-group-view.js';
import type { AlertReadModel } from '../alerts/alert-read-model.js';
import { AppError } from '../errors.js';
import { isMember } from './incident-access.js';

/** The answer to a button about an alert group that does not exist, or that the clicker may not act on. */
export const NO_SUCH_ALERT = 'That alert no longer exists.';

export type AlertGroupAccess = ReturnType<typeof createAlertGroupAccess>;

/**
 * Applies the alert group access rule (alerts/alert-access.ts) to one request: the group a button
 * names (Slack echoes what we sent, but anyone can forge a payload), re-checked on the server. A
 * missing group and one the person may not act on get the same answer.
 */
export function createAlertGroupAccess({
  reads,
  admins,
}: {
  reads: Pick<AlertReadModel, 'group' | 'pagedUsers' | 'alertsChannel'>;
  admins: readonly string[];
}) {
  const hidden = (why: string) => new AppError('not_found', why, { userMessage: NO_SUCH_ALERT });
  return {
    /** The group `groupId` names if `userId` may `ability` it; throws the "no such alert" answer otherwise. */
    async require(
      groupId: number | string | undefined,
      userId: string,
      ability: AlertGroupAbility,
      client: WebClient,
    ): Promise<AlertGroupView> {
      const id = typeof groupId === 'number' ? groupId : Number(/^\d{1,15}$/.exec(groupId ?? '')?.[0]);
      if (!Number.isSafeInteger(id) || id <= 0) throw hidden('no such alert group');
      const group = await reads.group(id);
      if (!group) throw hidden(`no alert group ${id}`);
      const alertsChannelId = reads.alertsChannel(group.service);
      const facts = { pagedUserIds: await reads.pagedUsers(id), admins, alertsChannelId };
      const verdict = await decideAlertGroup(facts, userId, () => isMember(client, alertsChannelId, userId));
      if (verdict !== 'allowed') throw hidden(`${userId} may not ${ability} alert group ${id}`);
      return group;
    },
  };
}
