import { optionalString, requireString } from '../args.js';
import { requireBotMember, visibleChannel } from '../conversation-access.js';
import type { MethodTable } from '../dispatcher.js';
import { SlackApiError } from '../errors.js';
import { findMessage } from '../message-store.js';
import { permalink } from '../render.js';
import { type FakeState, nowSeconds } from '../state.js';
import type { Args } from '../types.js';

function pinnedTarget(state: FakeState, args: Args) {
  const channel = visibleChannel(state, optionalString(args, 'channel'));
  const ts = requireString(args, 'timestamp', 'no_item_specified');
  requireBotMember(state, channel);
  const message = findMessage(state, channel.id, ts);
  if (!message || message.subtype === 'tombstone') throw new SlackApiError('message_not_found');
  return { channel, message };
}

/** Pins a message of `channelId` on behalf of `by` (the bot through pins.add, or a person). */
export function addPin(state: FakeState, channelId: string, ts: string, by: string): void {
  const message = findMessage(state, channelId, ts);
  if (!message || message.subtype === 'tombstone') throw new SlackApiError('message_not_found');
  const pins = state.pins.get(channelId) ?? [];
  if (pins.some((pin) => pin.ts === message.ts)) throw new SlackApiError('already_pinned');
  pins.push({ channel: channelId, ts: message.ts, created: nowSeconds(state), created_by: by });
  state.pins.set(channelId, pins);
  message.pinned_to = [channelId];
  state.emit({ type: 'pin', channelId, ts: message.ts });
}

export function removePin(state: FakeState, channelId: string, ts: string): void {
  const message = findMessage(state, channelId, ts);
  if (!message) throw new SlackApiError('message_not_found');
  const pins = state.pins.get(channelId) ?? [];
  if (!pins.some((pin) => pin.ts === message.ts)) throw new SlackApiError('no_pin');
  state.pins.set(
    channelId,
    pins.filter((pin) => pin.ts !== message.ts),
  );
  delete message.pinned_to;
  state.emit({ type: 'pin', channelId, ts: message.ts });
}

export const pinMethods: MethodTable = {
  'pins.add': (state, args) => {
    const { channel, message } = pinnedTarget(state, args);
    addPin(state, channel.id, message.ts, state.config.botUserId);
    return {};
  },

  'pins.remove': (state, args) => {
    const { channel, message } = pinnedTarget(state, args);
    removePin(state, channel.id, message.ts);
    return {};
  },

  'pins.list': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    const items = (state.pins.get(channel.id) ?? []).flatMap((pin) => {
      const message = findMessage(state, channel.id, pin.ts);
      if (!message) return [];
      return [
        {
          type: 'message',
          created: pin.created,
          created_by: pin.created_by,
          channel: channel.id,
          message: { ...structuredClone(message), permalink: permalink(state, channel.id, message.ts) },
        },
      ];
    });
    return { items };
  },
};
