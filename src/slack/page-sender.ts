import type { WebClient } from '@slack/web-api';
import type { DuePage, PageDelivery } from '../escalation/page-delivery.js';
import type { PageNotes } from '../escalation/page-notes.js';
import type { Logger } from '../logger.js';
import { findRecentMessage, taggedWith } from './recent-messages.js';
import { describeSlackError, isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';
import { buildAlertPageMessage } from './views/alert-page.js';
import { buildPageAcknowledgedMessage, buildPageMessage } from './views/page-message.js';

export interface PageSenderDeps {
  /** Whether a page is still due, and recording what came of it: the domain's decisions. */
  delivery: PageDelivery;
  /** The paging state the DMs are edited to show. */
  notes: Pick<PageNotes, 'paging'>;
  /**
   * The page client: a WebClient used for page DMs only. @slack/web-api queues every call of a
   * client behind one that waits out a 429's Retry-After, so sharing the cosmetic calls' client
   * (cards, bookmarks, App Home) would hold pages behind them.
   */
  client: WebClient;
  logger: Logger;
}

export type PageSender = ReturnType<typeof createPageSender>;

/** The DM of a page: an incident's, or an alert group's (the same buttons, and Resolve and Declare). */
function pageMessage(due: DuePage) {
  const { page } = due;
  const reason = { level: page.step + 1, pass: page.loop + 1, via: page.via };
  return due.incident
    ? buildPageMessage(due.incident, {
        ...reason,
        epoch: page.epoch,
        escalationId: page.escalationId,
        team: due.team,
      })
    : buildAlertPageMessage(due.group, { state: 'triggered', epoch: page.epoch, loop: page.loop }, reason);
}

/** A Slack user id as oncall.yaml may name someone (the other form is an email). */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** Message metadata on a page DM, so a repeated send can find the DM it already posted. */
export const PAGE_EVENT_TYPE = 'incident_page';

/**
 * Page DMs, run by the `pages` queue: the DM with Acknowledge / Escalate now, and its edit after an
 * ack. Nothing else goes through this client; the lines in the incident channel are the
 * `page.note` job's (slack/paging-notifier.ts). Retries come from the queue.
 */
export function createPageSender({ delivery, notes, client, logger }: PageSenderDeps) {
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

  return {
    /** Sends one page, if the domain says it is still due, and reports what came of it. */
    async sendPage(pageId: number, options: { mayRepeat: boolean } = { mayRepeat: false }): Promise<void> {
      const due = await delivery.due(pageId);
      if (!due) return;
      const { page } = due;
      const userId = await resolveUser(page.target);
      if (!userId) {
        await delivery.refused(page, {
          code: 'users_not_found',
          description: 'no Slack user has that email. Fix `oncall.yaml`',
        });
        return;
      }
      // A worker killed between Slack's answer and our record would otherwise page twice: on a
      // repeated run, look for this page's DM (tagged with its id) before sending another.
      if (options.mayRepeat) {
        const earlier = await findPageDm(userId, page.id);
        if (earlier) {
          await delivery.sent(page, { userId, dmChannelId: earlier.channel, dmTs: earlier.ts });
          return;
        }
      }
      let sent: { channel?: string; ts?: string };
      try {
        sent = await client.chat.postMessage({
          channel: userId,
          metadata: { event_type: PAGE_EVENT_TYPE, event_payload: { page_id: page.id } },
          ...pageMessage(due),
        });
      } catch (error) {
        if (isTransientSlackError(error)) throw error;
        const described = describeSlackError(error);
        await delivery.refused(page, { code: described, description: `\`${described}\`` });
        return;
      }
      await delivery.sent(page, { userId, dmChannelId: sent.channel!, dmTs: sent.ts! });
    },

    /** After an ack: every sent DM says who acknowledged (chat.update is naturally idempotent). */
    async markAcknowledged(incidentId: number, escalationId?: number): Promise<void> {
      const { escalation, incident, pages } = await notes.paging(incidentId, escalationId);
      if (!escalation?.acknowledgedBy || !escalation.acknowledgedAt || !incident) return;
      const message = buildPageAcknowledgedMessage(
        incident,
        escalation.acknowledgedBy,
        escalation.acknowledgedAt,
        escalation.team,
      );
      // Only this escalation's DMs: another team paged into the incident is still being paged.
      for (const page of pages) {
        if (page.escalationId !== escalation.id) continue;
        if (page.status !== 'sent' || !page.dmChannelId || !page.dmTs) continue;
        try {
          await client.chat.update({ channel: page.dmChannelId, ts: page.dmTs, ...message });
        } catch (error) {
          if (isTransientSlackError(error)) throw error;
          logger.warn({ page: page.id, code: slackErrorCode(error) }, 'could not edit a page DM');
        }
      }
    },
  };
}
