import type { WebClient } from '@slack/web-api';
import { tolerate } from './slack-errors.js';

/** A message as conversations.history / conversations.replies return it (the fields we match on). */
export interface RecentMessage {
  ts?: string;
  text?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/**
 * Looks for a message the bot may already have posted, among the channel's (or thread's) latest:
 * before a job that may be a repeat (a worker killed between Slack's answer and our record) posts
 * again. Null when none matches or the channel cannot be read.
 */
export async function findRecentMessage(
  client: WebClient,
  where: { channel: string; threadTs?: string },
  match: (message: RecentMessage) => boolean,
  limit = 50,
): Promise<{ channel: string; ts: string } | null> {
  const ignorable = ['channel_not_found', 'not_in_channel', 'missing_scope', 'thread_not_found'];
  const history = await tolerate(ignorable, () =>
    where.threadTs
      ? client.conversations.replies({
          channel: where.channel,
          ts: where.threadTs,
          limit,
          include_all_metadata: true,
        })
      : client.conversations.history({ channel: where.channel, limit, include_all_metadata: true }),
  );
  const found = (history?.messages as RecentMessage[] | undefined)?.find(match);
  return found?.ts ? { channel: where.channel, ts: found.ts } : null;
}

/** Matches a message tagged with message metadata of `eventType` whose payload passes `payload`. */
export function taggedWith(
  eventType: string,
  payload: (value: Record<string, unknown>) => boolean,
): (message: RecentMessage) => boolean {
  return (message) =>
    message.metadata?.event_type === eventType && payload(message.metadata.event_payload ?? {});
}

/** Whether a run that may be a repeat already posted in `channel` (joining a public one to read it). */
async function alreadyPosted(
  client: WebClient,
  channel: string,
  match: (message: RecentMessage) => boolean,
  joinable: boolean,
): Promise<boolean> {
  if (await findRecentMessage(client, { channel }, match, 30)) return true;
  if (!joinable) return false;
  // Posting in a public channel needs no membership (chat:write.public), reading does: join, look again.
  const joined = await tolerate(
    ['channel_not_found', 'is_archived', 'method_not_supported_for_channel_type'],
    () => client.conversations.join({ channel }),
  );
  return joined !== null && (await findRecentMessage(client, { channel }, match, 30)) !== null;
}

/**
 * Posts an announcement tagged with `eventType` and the job's key, once: a run that may be a repeat
 * first looks for the message it may have posted. A channel the bot cannot post in is the
 * operators' to fix, so it is skipped (the change it announces stands either way).
 */
export async function postAnnouncementOnce(
  client: WebClient,
  post: {
    channel: string;
    text: string;
    eventType: string;
    key: string;
    mayRepeat: boolean;
    /** A configured channel (joinable to read it), not a DM. */
    joinable: boolean;
  },
): Promise<void> {
  const { channel, text, eventType, key } = post;
  const match = taggedWith(eventType, (payload) => payload.key === key);
  if (post.mayRepeat && (await alreadyPosted(client, channel, match, post.joinable))) return;
  await tolerate(['channel_not_found', 'not_in_channel', 'is_archived'], () =>
    client.chat.postMessage({ channel, text, metadata: { event_type: eventType, event_payload: { key } } }),
  );
}

/** The DM channel with `userId`; null when Slack refuses (a deactivated or unknown user). */
export async function openDm(client: WebClient, userId: string): Promise<string | null> {
  const dm = await tolerate(['user_not_found', 'user_disabled'], () =>
    client.conversations.open({ users: userId }),
  );
  return dm?.channel?.id ?? null;
}
