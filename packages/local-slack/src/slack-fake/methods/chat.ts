import { isRecord, optionalBoolean, optionalString, requireString } from '../args.js';
import { MAX_MESSAGE_BLOCKS, normalizeBlocks } from '../blocks.js';
import { postingTarget, visibleChannel } from '../conversation-access.js';
import type { MethodTable } from '../dispatcher.js';
import { SlackApiError } from '../errors.js';
import { appendMessage, botAuthor, deleteMessage, findMessage } from '../message-store.js';
import { permalink } from '../render.js';
import type { FakeState } from '../state.js';
import type { Args, SlackMessage } from '../types.js';

type Content = Pick<SlackMessage, 'text' | 'blocks' | 'attachments' | 'metadata'>;

/**
 * The message body of a chat.* call: only the fields the caller sent, with blocks validated and given
 * ids. Neither text nor blocks nor attachments is `no_text`, as on Slack.
 */
const MAX_MESSAGE_TEXT = 40_000;

function readContent(state: FakeState, args: Args): Partial<Content> {
  const content: Partial<Content> = {};
  const text = optionalString(args, 'text');
  if (text !== undefined) content.text = text;
  // Slack refuses a message text over 40,000 characters rather than cutting it.
  if (text !== undefined && text.length > MAX_MESSAGE_TEXT) throw new SlackApiError('msg_too_long');
  if (args.blocks !== undefined) content.blocks = normalizeBlocks(args.blocks, state.ids, MAX_MESSAGE_BLOCKS);
  if (args.attachments !== undefined) {
    if (!Array.isArray(args.attachments)) throw new SlackApiError('invalid_attachments');
    content.attachments = structuredClone(args.attachments);
  }
  if (isRecord(args.metadata)) content.metadata = structuredClone(args.metadata);
  const empty = !content.text && !content.blocks?.length && !content.attachments?.length;
  if (empty) throw new SlackApiError('no_text');
  return content;
}

function ownMessage(
  state: FakeState,
  args: Args,
  notOwnCode: string,
): { channelId: string; message: SlackMessage } {
  const channel = visibleChannel(state, optionalString(args, 'channel'));
  const message = findMessage(state, channel.id, requireString(args, 'ts', 'message_not_found'));
  if (!message || message.subtype === 'tombstone') throw new SlackApiError('message_not_found');
  if (message.bot_id !== state.config.botId) throw new SlackApiError(notOwnCode);
  return { channelId: channel.id, message };
}

export const chatMethods: MethodTable = {
  'chat.postMessage': (state, args) => {
    const channelArg = optionalString(args, 'channel');
    if (!channelArg) throw new SlackApiError('channel_not_found');
    const content = readContent(state, args);
    const channel = postingTarget(state, channelArg);
    const threadTs = optionalString(args, 'thread_ts');
    const broadcast = threadTs !== undefined && (optionalBoolean(args, 'reply_broadcast') ?? false);
    const message = appendMessage(state, channel.id, {
      ...botAuthor(state),
      text: '',
      ...content,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(broadcast ? { subtype: 'thread_broadcast' } : {}),
      ...customIdentity(args),
    });
    return { channel: channel.id, ts: message.ts, message: structuredClone(message) };
  },

  'chat.update': (state, args) => {
    const { channelId, message } = ownMessage(state, args, 'cant_update_message');
    const content = readContent(state, args);
    // Fields the call leaves out keep their old values (pass `blocks: []` to remove blocks).
    Object.assign(message, content);
    message.edited = { user: state.config.botUserId, ts: state.nextTs() };
    state.emit({ type: 'message_changed', channelId, ts: message.ts });
    return { channel: channelId, ts: message.ts, text: message.text, message: structuredClone(message) };
  },

  'chat.delete': (state, args) => {
    const { channelId, message } = ownMessage(state, args, 'cant_delete_message');
    deleteMessage(state, channelId, message);
    return { channel: channelId, ts: message.ts };
  },

  'chat.postEphemeral': (state, args) => {
    const channelArg = optionalString(args, 'channel');
    if (!channelArg) throw new SlackApiError('channel_not_found');
    const userId = requireString(args, 'user', 'user_not_found');
    const content = readContent(state, args);
    if (!state.users.has(userId)) throw new SlackApiError('user_not_found');
    const channel = postingTarget(state, channelArg);
    if (!channel.members.has(userId)) throw new SlackApiError('user_not_in_channel');
    const threadTs = optionalString(args, 'thread_ts');
    const messageTs = state.nextTs();
    state.ephemerals.push({
      channel: channel.id,
      user: userId,
      message_ts: messageTs,
      text: content.text ?? '',
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    state.emit({ type: 'ephemeral', channelId: channel.id, ts: messageTs, userId });
    return { message_ts: messageTs };
  },

  'chat.getPermalink': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    const message = findMessage(state, channel.id, requireString(args, 'message_ts', 'message_not_found'));
    if (!message) throw new SlackApiError('message_not_found');
    return { channel: channel.id, permalink: permalink(state, channel.id, message.ts, message.thread_ts) };
  },
};

/** `username` / `icon_*` overrides (chat:write.customize) are kept so the sandbox can show them. */
function customIdentity(args: Args): Partial<SlackMessage> {
  const identity: Partial<SlackMessage> = {};
  const username = optionalString(args, 'username');
  const iconEmoji = optionalString(args, 'icon_emoji');
  const iconUrl = optionalString(args, 'icon_url');
  if (username) identity.username = username;
  if (iconEmoji) identity.icon_emoji = iconEmoji;
  if (iconUrl) identity.icon_url = iconUrl;
  return identity;
}
