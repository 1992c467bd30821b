import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import type { IncidentCards } from '../incidents/incident-card.js';
import type { Incident } from '../incidents/incident-types.js';
import type { SlackPresence } from '../incidents/slack-presence.js';
import type { Logger } from '../logger.js';
import { ActionId, BlockId } from './ids.js';
import { findRecentMessage, taggedWith } from './recent-messages.js';
import { isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';
import { formatDuration } from './views/format.js';
import { buildIncidentAnnouncement } from './views/incident-announcement.js';
import { buildIncidentHeadline, buildIncidentTopic } from './views/incident-headline.js';
import { buildUpdatePost } from './views/update-post.js';

export interface IncidentPresenterDeps {
  incidents: { find(incidentId: number): Promise<Incident | null> };
  /** Where the incident's headline and announcement are (the adapter's own table). */
  presence: { find(incidentId: number): Promise<SlackPresence> };
  /** What the card shows, read under a per-incident render lock. */
  cards: IncidentCards;
  client: WebClient;
  clock: Clock;
  logger: Logger;
}

/** Message metadata on a status update, so a repeated job finds the message it already posted. */
export const UPDATE_EVENT_TYPE = 'incident_update';

export type IncidentPresenter = ReturnType<typeof createIncidentPresenter>;

/**
 * Keeps Slack a faithful view of an incident: one headline card (and its mirror in the announce
 * channel) edited in place, never re-posted; the topic; updates and reminders in the channel.
 */
export function createIncidentPresenter({
  incidents,
  presence,
  cards,
  client,
  clock,
  logger,
}: IncidentPresenterDeps) {
  const ignorable = [
    'message_not_found',
    'channel_not_found',
    'is_archived',
    'not_in_channel',
    'cant_update_message',
  ];

  return {
    /** Re-renders the headline, the announcement and the topic from Postgres. */
    async refresh(incidentId: number): Promise<void> {
      await cards.withCard(incidentId, async ({ incident, paging, metrics, alert }) => {
        const where = await presence.find(incidentId);
        if (where.headlineTs) {
          const card = buildIncidentHeadline(incident, paging, metrics, alert);
          await tolerate(ignorable, () =>
            client.chat.update({
              channel: incident.channelId!,
              ts: where.headlineTs!,
              text: card.text,
              blocks: card.blocks,
            }),
          );
        }
        if (where.announceChannelId && where.announceTs && !incident.isPrivate) {
          const mirror = buildIncidentAnnouncement(incident);
          await tolerate(ignorable, () =>
            client.chat.update({ channel: where.announceChannelId!, ts: where.announceTs!, ...mirror }),
          );
        }
        const topic = buildIncidentTopic(incident);
        let info = await tolerate(ignorable, () =>
          client.conversations.info({ channel: incident.channelId! }),
        );
        // A reopened incident gets its (auto-archived) channel back.
        if (info?.channel?.is_archived && incident.status !== 'closed') {
          await tolerate([...ignorable, 'not_archived'], () =>
            client.conversations.unarchive({ channel: incident.channelId! }),
          );
          info = await tolerate(ignorable, () => client.conversations.info({ channel: incident.channelId! }));
        }
        if (info && info.channel?.topic?.value !== topic) {
          await tolerate([...ignorable, 'too_long'], () =>
            client.conversations.setTopic({ channel: incident.channelId!, topic }),
          );
        }
      });
    },

    /** Archives the channel of an incident still closed since `closedAtMs` (a reopen cancels it). */
    async archive(incidentId: number, closedAtMs: number): Promise<void> {
      const incident = await incidents.find(incidentId);
      if (!incident?.channelId || incident.status !== 'closed' || incident.closedAt?.getTime() !== closedAtMs)
        return;
      await tolerate(
        [
          'already_archived',
          'channel_not_found',
          'not_in_channel',
          'cant_archive_general',
          'restricted_action',
        ],
        () => client.conversations.archive({ channel: incident.channelId! }),
      );
    },

    /**
     * A status update: in the channel, and threaded under the announcement. Each message carries the
     * job's key as metadata; a run that may be a repeat skips a message already there.
     */
    async postUpdate(
      incidentId: number,
      text: string,
      by: string,
      run: { key: string; mayRepeat: boolean },
    ): Promise<void> {
      const incident = await incidents.find(incidentId);
      if (!incident?.channelId) return;
      const message = buildUpdatePost(incident, text, by).text;
      const metadata = { event_type: UPDATE_EVENT_TYPE, event_payload: { key: run.key } };
      const posted = (where: { channel: string; threadTs?: string }) =>
        run.mayRepeat
          ? findRecentMessage(
              client,
              where,
              taggedWith(UPDATE_EVENT_TYPE, (p) => p.key === run.key),
            )
          : null;
      if (!(await posted({ channel: incident.channelId }))) {
        await tolerate(ignorable, () =>
          client.chat.postMessage({ channel: incident.channelId!, text: message, metadata }),
        );
      }
      const where = await presence.find(incidentId);
      if (where.announceChannelId && where.announceTs && !incident.isPrivate) {
        const thread = { channel: where.announceChannelId, threadTs: where.announceTs };
        if (await posted(thread)) return;
        await tolerate([...ignorable, 'thread_not_found'], () =>
          client.chat.postMessage({
            channel: where.announceChannelId!,
            thread_ts: where.announceTs!,
            text: message,
            metadata,
          }),
        );
      }
    },

    /** Nudges the commander (or the channel, when there is none) to post an update. */
    async sendReminder(incidentId: number): Promise<void> {
      const incident = await incidents.find(incidentId);
      if (!incident?.channelId || incident.status === 'resolved' || incident.status === 'closed') return;
      const since = incident.lastUpdateAt ?? incident.declaredAt;
      const quiet = formatDuration(clock.now().getTime() - since.getTime());
      const lead = incident.commanderId
        ? `:alarm_clock: <@${incident.commanderId}>, incident #${incident.number} has had no status update for ${quiet}.`
        : `:alarm_clock: Incident #${incident.number} has no commander and no status update for ${quiet}. Take it with \`/incident role commander @you\`.`;
      const text = `${lead} Post one with \`/incident update <text>\` or the button.`;
      const snooze = (minutes: number, label: string) => ({
        type: 'button' as const,
        action_id: ActionId.snoozeReminder,
        text: { type: 'plain_text' as const, text: label },
        value: `${incident.id}-${minutes}`,
      });
      try {
        await client.chat.postMessage({
          channel: incident.channelId,
          text,
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text } },
            {
              type: 'actions',
              block_id: BlockId.reminderActions,
              elements: [
                {
                  type: 'button',
                  action_id: ActionId.headlineUpdate,
                  text: { type: 'plain_text', text: 'Post update' },
                  style: 'primary',
                  value: String(incident.id),
                },
                snooze(30, 'Snooze 30 min'),
                snooze(60, 'Snooze 1 h'),
                snooze(120, 'Snooze 2 h'),
              ],
            },
          ],
        });
      } catch (error) {
        if (isTransientSlackError(error)) throw error;
        logger.warn(
          { incident: incident.number, code: slackErrorCode(error) },
          'could not post an update reminder',
        );
      }
    },
  };
}
