import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import type { DuePageNote, PageNotes } from '../escalation/page-notes.js';
import type { SlackPresence } from '../incidents/slack-presence.js';
import type { Logger } from '../logger.js';
import { SLACK_USER_ID } from './page-sender.js';
import { findRecentMessage, taggedWith } from './recent-messages.js';
import { isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';
import { mrkdwn } from './views/escape.js';
import { slackDate } from './views/format.js';

export interface PagingNotifierDeps {
  /** The paging state to tell about, and the once-only record of each page's channel line. */
  notes: PageNotes;
  /** Where the incident's announcement is (the adapter's own table). */
  presence: { find(incidentId: number): Promise<SlackPresence> };
  /** The bot's main client (the page DMs have their own: slack/page-sender.ts). */
  client: WebClient;
  clock: Clock;
  logger: Logger;
}

export type PagingNotifier = ReturnType<typeof createPagingNotifier>;

/** Message metadata on a page's line in the incident channel, so a repeated run finds it. */
export const PAGE_NOTE_EVENT_TYPE = 'incident_page_note';

/**
 * The channel half of paging, run by the Slack-sends queue: a page's line in the incident channel,
 * the acknowledger's invitation and the lines after an ack or when nobody answered. Cosmetic next to
 * the DMs, so a 429 here only delays these. Retries come from the queue.
 */
export function createPagingNotifier({ notes, presence, client, logger }: PagingNotifierDeps) {
  async function postInChannel(
    channelId: string | null,
    text: string,
    metadata?: { event_type: string; event_payload: Record<string, string | number> },
  ): Promise<void> {
    if (!channelId) return;
    await tolerate(['is_archived', 'channel_not_found', 'not_in_channel'], () =>
      client.chat.postMessage({ channel: channelId, text, ...(metadata ? { metadata } : {}) }),
    );
  }

  return {
    /**
     * "Paged @x (level 1)", or why a page could not go out, in the incident channel, once per page.
     * Pages can go out before the channel exists; the set-up asks again for them once it does.
     */
    async noteInChannel(
      pageId: number,
      options: { mayRepeat: boolean } = { mayRepeat: false },
    ): Promise<void> {
      const note = await notes.due(pageId);
      if (!note) return;
      const tag = { event_type: PAGE_NOTE_EVENT_TYPE, event_payload: { page_id: pageId } };
      const earlier =
        options.mayRepeat &&
        (await findRecentMessage(
          client,
          { channel: note.channelId },
          taggedWith(PAGE_NOTE_EVENT_TYPE, (payload) => payload.page_id === pageId),
        ));
      if (!earlier) await postInChannel(note.channelId, pageLine(note), tag);
      await notes.noted(pageId);
    },

    /** After an ack: the acknowledger joins the channel; the channel hears it once. */
    async announceAcknowledged(incidentId: number, escalationId?: number): Promise<void> {
      const { escalation, incident, pages } = await notes.paging(incidentId, escalationId);
      if (!escalation?.acknowledgedBy || !escalation.acknowledgedAt || !incident) return;
      // Whoever took the page works the incident: bring them into its channel (a repeat is harmless).
      // A private channel only lets in someone a page was sent to (by its policy or by someone allowed to page).
      const by = escalation.acknowledgedBy;
      const paged = pages.some((p) => p.status === 'sent' && p.userId === by);
      if (incident.channelId && (paged || !incident.isPrivate)) {
        try {
          await tolerate(['already_in_channel', 'cant_invite_self'], () =>
            client.conversations.invite({ channel: incident.channelId!, users: by }),
          );
        } catch (error) {
          if (isTransientSlackError(error)) throw error;
          logger.warn(
            { incident: incident.id, code: slackErrorCode(error) },
            'could not invite the acknowledger to the incident channel',
          );
        }
      }
      const team = escalation.team ? ` for *${mrkdwn(escalation.team.service)}*` : '';
      await postInChannel(
        incident.channelId,
        `:white_check_mark: <@${escalation.acknowledgedBy}> acknowledged the page${team} at ${slackDate(escalation.acknowledgedAt, '{time}')}. ${escalation.team ? `Paging ${mrkdwn(escalation.team.service)}` : 'Escalation'} stopped.`,
      );
    },

    async announceExhausted(incidentId: number, escalationId?: number): Promise<void> {
      const { escalation, incident } = await notes.paging(incidentId, escalationId);
      if (escalation?.state !== 'exhausted' || !incident) return;
      const team = escalation.team ? ` of *${mrkdwn(escalation.team.service)}*` : '';
      const text = `:rotating_light: Nobody acknowledged the pages${team} for incident #${incident.number} after ${escalation.loop + 1} pass${escalation.loop ? 'es' : ''} through the "${mrkdwn(escalation.policyName)}" policy. ${escalation.team ? 'Page someone by hand: `/incident page @person`, or *Escalate now* on a page starts again.' : 'Page someone by hand: `/incident escalate` starts again.'}`;
      await postInChannel(incident.channelId, text);
      const where = await presence.find(incidentId);
      if (where.announceChannelId && where.announceTs) {
        await tolerate(['is_archived', 'channel_not_found', 'not_in_channel', 'thread_not_found'], () =>
          client.chat.postMessage({
            channel: where.announceChannelId!,
            thread_ts: where.announceTs!,
            text,
            reply_broadcast: true,
          }),
        );
      }
    },
  };
}

/** A page's line: who was paged and how, or why the page could not go out. */
function pageLine(note: DuePageNote): string {
  if (note.status === 'failed') {
    const who = note.userId
      ? `<@${note.userId}>`
      : SLACK_USER_ID.test(note.target)
        ? `<@${note.target}>`
        : mrkdwn(note.target);
    return `:warning: Could not page ${who}: ${note.error ?? 'Slack refused the message'}.`;
  }
  const via = note.via === 'user' ? '' : `, on call in ${note.via.replace('schedule:', '')}`;
  const level = note.step < 0 ? 'by hand' : `level ${note.step + 1}`;
  return `:pager: Paged <@${note.userId}> (${level}${via}).`;
}
