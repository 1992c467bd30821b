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

/**
 * Whether a run that may be a repeat already posted the message tagged (`eventType`, `key`) in
 * `channel`. Posting in a public channel needs no membership (chat:write.public) but reading does: when
 * `joinable`, the bot joins and looks again.
 */
export async function postedBefore(
  client: WebClient,
  where: { channel: string; eventType: string; key: string; joinable: boolean },
): Promise<boolean> {
  return (await findPostedBefore(client, where)) !== null;
}

/** The message `postedBefore` looks for (to edit it later), or null. */
export async function findPostedBefore(
  client: WebClient,
  where: { channel: string; eventType: string; key: string; joinable: boolean },
): Promise<{ channel: string; ts: string } | null> {
  const match = taggedWith(where.eventType, (payload) => payload.key === where.key);
  const found = await findRecentMessage(client, { channel: where.channel }, match, 30);
  if (found || !where.joinable) return found;
  const joined = await tolerate(
    ['channel_not_found', 'is_archived', 'method_not_supported_for_channel_type'],
    () => client.conversations.join({ channel: where.channel }),
  );
  return joined === null ? null : findRecentMessage(client, { channel: where.channel }, match, 30);
}

/**
 * Posts `text` in `channel` tagged with (`eventType`, `key`), unless a run that may be a repeat finds
 * it there already. A channel the bot cannot post in is the operators' to fix: tolerated, not retried.
 */
export async function postOnce(
  client: WebClient,
  post: {
    channel: string;
    text: string;
    eventType: string;
    key: string;
    mayRepeat: boolean;
    joinable: boolean;
  },
): Promise<void> {
  const { channel, text, eventType, key } = post;
  if (post.mayRepeat && (await postedBefore(client, post))) return;
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
