import { SlackApiError } from './errors.js';
import { type FakeState, nowSeconds } from './state.js';
import type { ChannelRecord } from './types.js';

/** By id, by name, or by `#name`, whatever the bot may see. */
export function lookupChannel(state: FakeState, idOrName: string): ChannelRecord | undefined {
  const byId = state.channels.get(idOrName);
  if (byId) return byId;
  const name = idOrName.startsWith('#') ? idOrName.slice(1) : idOrName;
  for (const channel of state.channels.values()) {
    if (!channel.isIm && channel.name === name) return channel;
  }
  return undefined;
}

function isVisibleToBot(state: FakeState, channel: ChannelRecord): boolean {
  return !channel.isPrivate || channel.members.has(state.config.botUserId);
}

/** A conversation the bot can read: a private channel it is not in does not exist for it. */
export function visibleChannel(state: FakeState, id: string | undefined): ChannelRecord {
  const channel = id === undefined || id === '' ? undefined : state.channels.get(id);
  if (!channel || !isVisibleToBot(state, channel)) throw new SlackApiError('channel_not_found');
  return channel;
}

export function requireBotMember(state: FakeState, channel: ChannelRecord): void {
  if (!channel.members.has(state.config.botUserId)) throw new SlackApiError('not_in_channel');
}

export function requireNotArchived(channel: ChannelRecord): void {
  if (channel.isArchived) throw new SlackApiError('is_archived');
}

/** The bot's DM with a user, opened on first use and the same one every time after. */
export function openDm(state: FakeState, userId: string): { channel: ChannelRecord; created: boolean } {
  const existing = state.dms.get(userId);
  const existingChannel = existing ? state.channels.get(existing) : undefined;
  if (existingChannel) return { channel: existingChannel, created: false };
  const channel: ChannelRecord = {
    id: state.ids.dm(),
    name: userId,
    isPrivate: true,
    isIm: true,
    imUserId: userId,
    isGeneral: false,
    created: nowSeconds(state),
    creator: state.config.botUserId,
    isArchived: false,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    members: new Set([state.config.botUserId, userId]),
    previousNames: [],
    updated: state.now(),
  };
  state.channels.set(channel.id, channel);
  state.dms.set(userId, channel.id);
  state.emit({ type: 'channel', channelId: channel.id });
  return { channel, created: true };
}

/**
 * Where chat.postMessage (and friends) may write: a channel id or name, a DM id, or a user id (meaning
 * the DM with that user). Public channels are open to the bot (chat:write.public); private ones are not.
 */
export function postingTarget(state: FakeState, channelArg: string | undefined): ChannelRecord {
  if (channelArg === undefined || channelArg === '') throw new SlackApiError('channel_not_found');
  if (/^[UW][A-Z0-9]+$/.test(channelArg)) {
    if (!state.users.has(channelArg)) throw new SlackApiError('channel_not_found');
    return openDm(state, channelArg).channel;
  }
  const channel = lookupChannel(state, channelArg);
  if (!channel) throw new SlackApiError('channel_not_found');
  if (channel.isPrivate && !channel.members.has(state.config.botUserId)) {
    throw new SlackApiError('not_in_channel');
  }
  requireNotArchived(channel);
  return channel;
}
