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
  const pins = state.pins.get(channel.id) ?? [];
  return { channel, message, pins };
}

export const pinMethods: MethodTable = {
  'pins.add': (state, args) => {
    const { channel, message, pins } = pinnedTarget(state, args);
    if (pins.some((pin) => pin.ts === message.ts)) throw new SlackApiError('already_pinned');
    pins.push({
      channel: channel.id,
      ts: message.ts,
      created: nowSeconds(state),
      created_by: state.config.botUserId,
    });
    state.pins.set(channel.id, pins);
    message.pinned_to = [channel.id];
    state.emit({ type: 'pin', channelId: channel.id, ts: message.ts });
    return {};
  },

  'pins.remove': (state, args) => {
    const { channel, message, pins } = pinnedTarget(state, args);
    if (!pins.some((pin) => pin.ts === message.ts)) throw new SlackApiError('no_pin');
    state.pins.set(
      channel.id,
      pins.filter((pin) => pin.ts !== message.ts),
    );
    delete message.pinned_to;
    state.emit({ type: 'pin', channelId: channel.id, ts: message.ts });
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
