import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import type { PageDelivery } from '../escalation/page-delivery.js';
import type { PageNotes } from '../escalation/page-notes.js';
import type { SlackPresence } from '../incidents/slack-presence.js';
import type { Logger } from '../logger.js';
import { findRecentMessage, taggedWith } from './recent-messages.js';
import { describeSlackError, isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';
import { slackDate } from './views/format.js';
import { buildPageAcknowledgedMessage, buildPageMessage } from './views/page-message.js';

export interface PagingNotifierDeps {
  /** The paging state to tell about, and the once-only record of each page's channel line. */
  notes: PageNotes;
  /** Where the incident's announcement is (the adapter's own table). */
  presence: { find(incidentId: number): Promise<SlackPresence> };
  /** Whether a page is still due, and recording what came of it: the domain's decisions. */
  delivery: PageDelivery;
  client: WebClient;
  clock: Clock;
  logger: Logger;
}

export type PagingNotifier = ReturnType<typeof createPagingNotifier>;

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** Message metadata on a page DM, so a repeated send can find the DM it already posted. */
export const PAGE_EVENT_TYPE = 'incident_page';

/**
 * The Slack half of paging, run by the Slack-sends queue: DMs with Acknowledge / Escalate now,
 * their edits after an ack, and the lines in the incident channel. Retries come from the queue.
 */
export function createPagingNotifier({ notes, presence, delivery, client, logger }: PagingNotifierDeps) {
  // Email → Slack id; people rarely change address, and a miss is looked up again next time.
  const emailCache = new Map<string, string>();

  async function resolveUser(target: string): Promise<string | null> {
    if (SLACK_USER_ID.test(target)) return target;
    const cached = emailCache.get(target.toLowerCase());
    if (cached) return cached;
    const found = await tolerate(['users_not_found'], () => client.users.lookupByEmail({ email: target }));
    const id = found?.user?.id ?? null;
    if (id) emailCache.set(target.toLowerCase(), id);
    return id;
  }

  async function findPageDm(userId: string, pageId: number): Promise<{ channel: string; ts: string } | null> {
    const dm = await tolerate(['user_not_found', 'user_disabled'], () =>
      client.conversations.open({ users: userId }),
    );
    const channel = dm?.channel?.id;
    if (!channel) return null;
    return findRecentMessage(
      client,
      { channel },
      taggedWith(PAGE_EVENT_TYPE, (payload) => payload.page_id === pageId),
      30,
    );
  }

  /**
   * "Paged @x (level 1)" in the incident channel, once per page. Pages can go out before the channel
   * exists; the set-up calls this again for them once it does. The row lock makes it happen once.
   */
  async function noteInChannel(pageId: number): Promise<void> {
    await notes.noteOnce(pageId, async (page) => {
      const via = page.via === 'user' ? '' : `, on call in ${page.via.replace('schedule:', '')}`;
      const level = page.step < 0 ? 'by hand' : `level ${page.step + 1}`;
      await postInChannel(page.channelId, `:pager: Paged <@${page.userId}> (${level}${via}).`);
    });
  }

  async function postInChannel(channelId: string | null, text: string): Promise<void> {
    if (!channelId) return;
    await tolerate(['is_archived', 'channel_not_found', 'not_in_channel'], () =>
      client.chat.postMessage({ channel: channelId, text }),
    );
  }

  return {
    noteInChannel,

    /** Lines for pages that went out before the incident channel existed. */
    async notePagesSentBeforeChannel(incidentId: number): Promise<void> {
      for (const pageId of await notes.listNotNoted(incidentId)) await noteInChannel(pageId);
    },

    /** Sends one page, if the domain says it is still due, and reports what came of it. */
    async sendPage(pageId: number, options: { mayRepeat: boolean } = { mayRepeat: false }): Promise<void> {
      const due = await delivery.due(pageId);
      if (!due) return;
      const { page, incident } = due;
      const userId = await resolveUser(page.target);
      if (!userId) {
        await delivery.refused(page, {
          code: 'users_not_found',
          description: 'no Slack user with that email',
        });
        await postInChannel(
          incident.channelId,
          `:warning: Could not page ${page.target}: no Slack user has that email. Fix \`oncall.yaml\`.`,
        );
        return;
      }
      // A worker killed between Slack's answer and our record would otherwise page twice: on a
      // repeated run, look for this page's DM (tagged with its id) before sending another.
      if (options.mayRepeat) {
        const earlier = await findPageDm(userId, page.id);
        if (earlier) {
          await delivery.sent(page.id, { userId, dmChannelId: earlier.channel, dmTs: earlier.ts });
          return;
        }
      }
      let sent: { channel?: string; ts?: string };
      try {
        sent = await client.chat.postMessage({
          channel: userId,
          metadata: { event_type: PAGE_EVENT_TYPE, event_payload: { page_id: page.id } },
          ...buildPageMessage(incident, {
            level: page.step + 1,
            pass: page.loop + 1,
            via: page.via,
            epoch: page.epoch,
          }),
        });
      } catch (error) {
        if (isTransientSlackError(error)) throw error;
        const described = describeSlackError(error);
        await delivery.refused(page, { code: described, description: described });
        await postInChannel(incident.channelId, `:warning: Could not page <@${userId}>: \`${described}\`.`);
        return;
      }
      await delivery.sent(page.id, { userId, dmChannelId: sent.channel!, dmTs: sent.ts! });
      await noteInChannel(page.id);
    },

    /** After an ack: every sent DM says who acknowledged; the channel hears it once. */
    async announceAcknowledged(incidentId: number): Promise<void> {
      const { escalation, incident, pages } = await notes.paging(incidentId);
      if (!escalation?.acknowledgedBy || !escalation.acknowledgedAt || !incident) return;
      const message = buildPageAcknowledgedMessage(
        incident,
        escalation.acknowledgedBy,
        escalation.acknowledgedAt,
      );
      for (const page of pages) {
        if (page.status !== 'sent' || !page.dmChannelId || !page.dmTs) continue;
        try {
          await client.chat.update({ channel: page.dmChannelId, ts: page.dmTs, ...message });
        } catch (error) {
          if (isTransientSlackError(error)) throw error;
          logger.warn({ page: page.id, code: slackErrorCode(error) }, 'could not edit a page DM');
        }
      }
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
      await postInChannel(
        incident.channelId,
        `:white_check_mark: <@${escalation.acknowledgedBy}> acknowledged the page at ${slackDate(escalation.acknowledgedAt, '{time}')}. Escalation stopped.`,
      );
    },

    async announceExhausted(incidentId: number): Promise<void> {
      const { escalation, incident } = await notes.paging(incidentId);
      if (escalation?.state !== 'exhausted' || !incident) return;
      const text = `:rotating_light: Nobody acknowledged the pages for incident #${incident.number} after ${escalation.loop + 1} pass${escalation.loop ? 'es' : ''} through the "${escalation.policyName}" policy. Page someone by hand: \`/incident escalate\` starts again.`;
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
