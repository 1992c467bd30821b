import type { WebClient } from '@slack/web-api';
import type { AlertReadModel } from '../alerts/alert-read-model.js';
import type { AlertPresenter } from '../alerts/alert-types.js';
import type { Logger } from '../logger.js';
import { findRecentMessage, taggedWith } from './recent-messages.js';
import { isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';
import { type AlertPaging, buildAlertPageMessage } from './views/alert-page.js';

/** Message metadata on a group's message in the alerts channel, so a repeated post finds it. */
export const ALERT_GROUP_EVENT_TYPE = 'alert_group';

/**
 * Slack's side of an alert group, run by the `alert-group.refresh` job: every page DM sent for it
 * and its message in the service's `alerts.channel` show the group as Postgres holds it now (the
 * alerts, who acknowledged or resolved it, the buttons that still apply). chat.update is naturally
 * idempotent; the channel message is posted once (found again by its metadata on a repeat).
 */
export function createAlertPresenter({
  reads,
  client,
  logger,
}: {
  reads: AlertReadModel;
  client: WebClient;
  logger: Logger;
}): AlertPresenter {
  async function edit(channel: string, ts: string, message: ReturnType<typeof buildAlertPageMessage>) {
    try {
      await client.chat.update({ channel, ts, ...message });
    } catch (error) {
      if (isTransientSlackError(error)) throw error;
      logger.warn({ channel, code: slackErrorCode(error) }, 'could not edit an alert message');
    }
  }

  return {
    async refresh(groupId: number): Promise<void> {
      const group = await reads.group(groupId);
      if (!group) return;
      const [escalation, pages] = await Promise.all([reads.paging(groupId), reads.pages(groupId)]);
      const paging: AlertPaging | null = escalation
        ? { state: escalation.state, epoch: escalation.epoch, loop: escalation.loop }
        : null;
      for (const page of pages) {
        if (page.status !== 'sent' || !page.dmChannelId || !page.dmTs) continue;
        const reason = { level: page.step + 1, pass: page.loop + 1, via: page.via };
        await edit(page.dmChannelId, page.dmTs, buildAlertPageMessage(group, paging, reason));
      }
      const channel = reads.alertsChannel(group.service);
      if (!channel) return;
      const message = buildAlertPageMessage(group, paging);
      if (group.channelId === channel && group.messageTs) return edit(channel, group.messageTs, message);
      const tag = { event_type: ALERT_GROUP_EVENT_TYPE, event_payload: { group_id: groupId } };
      const earlier = await findRecentMessage(
        client,
        { channel },
        taggedWith(ALERT_GROUP_EVENT_TYPE, (payload) => payload.group_id === groupId),
      );
      if (earlier) await edit(channel, earlier.ts, message);
      const ts =
        earlier?.ts ??
        (
          await tolerate(['is_archived', 'channel_not_found', 'not_in_channel'], () =>
            client.chat.postMessage({ channel, metadata: tag, ...message }),
          )
        )?.ts;
      if (ts) await reads.recordMessage(groupId, { channelId: channel, messageTs: ts });
    },
  };
}
