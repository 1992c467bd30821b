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
 * Like findRecentMessage, for a message the bot posted in `channel` (a DM, or a public channel it may
 * not have joined: posting there needs no membership, reading does). In a `joinable` channel it
 * joins to look again when it could not read it.
 */
export async function findPostedMessage(
  client: WebClient,
  channel: string,
  match: (message: RecentMessage) => boolean,
  joinable: boolean,
): Promise<{ channel: string; ts: string } | null> {
  const found = await findRecentMessage(client, { channel }, match, 30);
  if (found || !joinable) return found;
  const joined = await tolerate(
    ['channel_not_found', 'is_archived', 'method_not_supported_for_channel_type'],
    () => client.conversations.join({ channel }),
  );
  return joined === null ? null : findRecentMessage(client, { channel }, match, 30);
}
