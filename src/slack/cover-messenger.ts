import type { WebClient } from '@slack/web-api';
import type { CoverDelivery } from '../escalation/cover-delivery.js';
import type { CoverPost, CoverRequest } from '../escalation/cover-repo.js';
import type { JobRun } from '../jobs/job.js';
import type { Logger } from '../logger.js';
import { findPostedBefore, postOnce } from './recent-messages.js';
import { isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';
import { identify, slackIdOf } from './user-identity.js';
import { buildCoverRequestMessage, buildCoverTakenMessages, type CoverCopy } from './views/cover-messages.js';

/** Message metadata on every cover message, so a repeated job finds what it already posted. */
export const COVER_EVENT_TYPE = 'oncall_cover';

/** A channel that refuses the bot's post for good: the operators' to fix, and the request goes by DM. */
const UNPOSTABLE = ['channel_not_found', 'not_in_channel', 'is_archived', 'user_not_found', 'user_disabled'];

interface Target {
  channel: string;
  /** Whom a DM copy is for; null for the team channel. */
  recipient: string | null;
  copy: CoverCopy;
}

export type CoverMessenger = ReturnType<typeof createCoverMessenger>;

/**
 * Cover requests in Slack, run by the Slack-sends queue (retries come from it): the copies of a new
 * request (the team channel's, or one DM per other participant, and the requester's own with a
 * Cancel button), their edits as the request is taken, cancelled or expires, and the two DMs once
 * taken. The domain (escalation/cover-delivery.ts) says what exists and records each copy.
 */
export function createCoverMessenger({
  delivery,
  client,
  logger,
}: {
  delivery: CoverDelivery;
  client: WebClient;
  logger: Logger;
}) {
  async function dmWith(userId: string): Promise<string | null> {
    const dm = await tolerate(['user_not_found', 'user_disabled'], () =>
      client.conversations.open({ users: userId }),
    );
    return dm?.channel?.id ?? null;
  }

  /** The other participants' DMs (emails in oncall.yaml become Slack ids). */
  async function participantDms(request: CoverRequest, people: string[]): Promise<Target[]> {
    const targets: Target[] = [];
    for (const person of people) {
      const id = await slackIdOf(client, person);
      const channel = id && id !== request.requestedBy ? await dmWith(id) : null;
      if (channel) targets.push({ channel, recipient: id, copy: 'participant' });
      else logger.warn({ person, request: request.id }, 'cover request: no Slack user to ask');
    }
    return targets;
  }

  /** Posts one copy, unless a repeated run finds it; its ts, or null when the channel refuses it. */
  async function postCopy(request: CoverRequest, target: Target, run: JobRun): Promise<string | null> {
    const key = `${run.key}-${target.recipient ?? 'team'}`;
    const where = {
      channel: target.channel,
      eventType: COVER_EVENT_TYPE,
      key,
      joinable: target.copy === 'team',
    };
    const earlier = run.mayRepeat ? await findPostedBefore(client, where) : null;
    if (earlier) return earlier.ts;
    const sent = await tolerate(UNPOSTABLE, () =>
      client.chat.postMessage({
        channel: target.channel,
        ...buildCoverRequestMessage(request, target.copy),
        metadata: { event_type: COVER_EVENT_TYPE, event_payload: { key } },
      }),
    );
    if (!sent?.ts)
      logger.warn({ channel: target.channel, request: request.id }, 'cover request: could not post a copy');
    return sent?.ts ?? null;
  }

  async function editCopies(request: CoverRequest, posts: CoverPost[]): Promise<void> {
    for (const post of posts) {
      const copy: CoverCopy =
        post.recipient === null
          ? 'team'
          : post.recipient === request.requestedBy
            ? 'requester'
            : 'participant';
      try {
        await client.chat.update({
          channel: post.channelId,
          ts: post.ts,
          ...buildCoverRequestMessage(request, copy),
        });
      } catch (error) {
        if (isTransientSlackError(error)) throw error;
        logger.warn(
          { request: request.id, code: slackErrorCode(error) },
          'could not edit a cover request copy',
        );
      }
    }
  }

  return {
    /** Posts the copies of a new request not posted yet, and records each. */
    async post(requestId: number, run: JobRun): Promise<void> {
      const found = await delivery.find(requestId);
      // Closed before anyone was asked (cancelled at once): nobody needs to hear of it.
      if (!found || (found.request.status !== 'open' && found.posts.length === 0)) return;
      const { request } = found;
      const posted = new Set(found.posts.map((p) => p.channelId));
      const audience = delivery.audience(request, await identify(client, request.requestedBy));
      const record = async (target: Target) => {
        if (posted.has(target.channel)) return true;
        const ts = await postCopy(request, target, run);
        if (ts)
          await delivery.recordPost(requestId, {
            channelId: target.channel,
            ts,
            recipient: target.recipient,
          });
        return ts !== null;
      };
      const inChannel =
        audience.channel !== null &&
        (await record({ channel: audience.channel, recipient: null, copy: 'team' }));
      // Without a team channel, or one that refuses the bot, each other participant gets a DM.
      if (!inChannel)
        for (const target of await participantDms(request, audience.people)) await record(target);
      const own = await dmWith(request.requestedBy);
      if (own) await record({ channel: own, recipient: request.requestedBy, copy: 'requester' });
      // Taken or cancelled while this ran: the copies just posted show it too.
      const now = await delivery.find(requestId);
      if (now && now.request.status !== request.status) await editCopies(now.request, now.posts);
    },

    /** Edits every copy to the request's state now. */
    async refresh(requestId: number): Promise<void> {
      const found = await delivery.find(requestId);
      if (found) await editCopies(found.request, found.posts);
    },

    /** Tells the taker and the requester by DM, once each. */
    async notifyTaken(requestId: number, run: JobRun): Promise<void> {
      const found = await delivery.find(requestId);
      if (found?.request.status !== 'taken' || !found.request.closedBy) return;
      const { request } = found;
      const messages = buildCoverTakenMessages(request);
      for (const [userId, message] of [
        [request.closedBy, messages.taker],
        [request.requestedBy, messages.requester],
      ] as const) {
        const channel = await dmWith(userId!);
        if (!channel) continue;
        const key = `${run.key}-${userId}`;
        await postOnce(client, {
          channel,
          text: message.text,
          eventType: COVER_EVENT_TYPE,
          key,
          mayRepeat: run.mayRepeat,
          joinable: false,
        });
      }
    },
  };
}
