import type { FakeState } from './state.js';
import type { SlackMessage } from './types.js';

export function channelMessages(state: FakeState, channelId: string): SlackMessage[] {
  let list = state.messages.get(channelId);
  if (!list) {
    list = [];
    state.messages.set(channelId, list);
  }
  return list;
}

export function findMessage(state: FakeState, channelId: string, ts: string): SlackMessage | undefined {
  return state.messages.get(channelId)?.find((message) => message.ts === ts);
}

export function isReply(message: SlackMessage): boolean {
  return message.thread_ts !== undefined && message.thread_ts !== message.ts;
}

/** What the channel view shows: parents and plain messages, plus replies also sent to the channel. */
export function isTopLevel(message: SlackMessage): boolean {
  return !isReply(message) || message.subtype === 'thread_broadcast';
}

export function threadReplies(state: FakeState, channelId: string, threadTs: string): SlackMessage[] {
  return (state.messages.get(channelId) ?? []).filter(
    (message) => isReply(message) && message.thread_ts === threadTs,
  );
}

/** Fields every message posted by the bot carries. */
export function botAuthor(
  state: FakeState,
): Pick<SlackMessage, 'user' | 'bot_id' | 'app_id' | 'team' | 'bot_profile'> {
  const { botUserId, botId, appId, teamId, botName } = state.config;
  return {
    user: botUserId,
    bot_id: botId,
    app_id: appId,
    team: teamId,
    bot_profile: {
      id: botId,
      app_id: appId,
      user_id: botUserId,
      name: botName,
      deleted: false,
      team_id: teamId,
      updated: 0,
    },
  };
}

/**
 * Appends a message with a fresh `ts`. A `thread_ts` naming a reply is moved to its thread's parent, and
 * one naming no message is dropped (Slack then posts to the channel); the parent's reply stats follow.
 */
export function appendMessage(
  state: FakeState,
  channelId: string,
  fields: Omit<SlackMessage, 'type' | 'ts'>,
): SlackMessage {
  const list = channelMessages(state, channelId);
  const ts = state.nextTs(channelId);
  const message: SlackMessage = { type: 'message', ...fields, ts };
  const parent = fields.thread_ts ? threadParent(state, channelId, fields.thread_ts) : undefined;
  if (parent) {
    message.thread_ts = parent.ts;
    if (parent.user) message.parent_user_id = parent.user;
    recordReply(parent, message);
  } else {
    delete message.thread_ts;
  }
  list.push(message);
  state.emit({ type: 'message', channelId, ts });
  if (parent) state.emit({ type: 'message_changed', channelId, ts: parent.ts });
  return message;
}

function threadParent(state: FakeState, channelId: string, threadTs: string): SlackMessage | undefined {
  const target = findMessage(state, channelId, threadTs);
  if (!target) return undefined;
  return target.thread_ts && isReply(target) ? findMessage(state, channelId, target.thread_ts) : target;
}

function recordReply(parent: SlackMessage, reply: SlackMessage): void {
  parent.thread_ts = parent.ts;
  parent.reply_count = (parent.reply_count ?? 0) + 1;
  const users = new Set(parent.reply_users ?? []);
  if (reply.user) users.add(reply.user);
  parent.reply_users = [...users];
  parent.reply_users_count = users.size;
  parent.latest_reply = reply.ts;
}

/** Recomputes a parent's reply stats after a reply is deleted. */
export function refreshThreadStats(state: FakeState, channelId: string, parent: SlackMessage): void {
  const replies = threadReplies(state, channelId, parent.ts);
  if (replies.length === 0) {
    delete parent.reply_count;
    delete parent.reply_users;
    delete parent.reply_users_count;
    delete parent.latest_reply;
    return;
  }
  const users = [...new Set(replies.flatMap((reply) => (reply.user ? [reply.user] : [])))];
  parent.reply_count = replies.length;
  parent.reply_users = users;
  parent.reply_users_count = users.length;
  parent.latest_reply = replies[replies.length - 1]?.ts;
}

/**
 * Deletes a message as chat.delete does: a parent with replies stays as a tombstone so the thread
 * survives; a deleted reply updates its parent's stats; pins on it go away.
 */
export function deleteMessage(state: FakeState, channelId: string, message: SlackMessage): void {
  const list = channelMessages(state, channelId);
  const hasReplies = !isReply(message) && (message.reply_count ?? 0) > 0;
  if (hasReplies) {
    for (const key of ['blocks', 'attachments', 'files', 'reactions', 'edited', 'metadata'] as const)
      delete message[key];
    message.subtype = 'tombstone';
    message.text = 'This message was deleted.';
  } else {
    list.splice(list.indexOf(message), 1);
  }
  const pins = state.pins.get(channelId);
  if (pins)
    state.pins.set(
      channelId,
      pins.filter((pin) => pin.ts !== message.ts),
    );
  delete message.pinned_to;
  if (isReply(message) && message.thread_ts) {
    const parent = findMessage(state, channelId, message.thread_ts);
    if (parent) {
      refreshThreadStats(state, channelId, parent);
      state.emit({ type: 'message_changed', channelId, ts: parent.ts });
    }
  }
  state.emit({ type: hasReplies ? 'message_changed' : 'message_deleted', channelId, ts: message.ts });
}
