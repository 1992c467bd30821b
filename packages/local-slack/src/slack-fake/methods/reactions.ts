import { optionalString, requireString } from '../args.js';
import { visibleChannel } from '../conversation-access.js';
import type { MethodTable } from '../dispatcher.js';
import { SlackApiError } from '../errors.js';
import { findMessage } from '../message-store.js';
import type { FakeState } from '../state.js';
import type { Args } from '../types.js';

function reactionTarget(state: FakeState, args: Args) {
  const channel = visibleChannel(state, optionalString(args, 'channel'));
  const ts = requireString(args, 'timestamp', 'no_item_specified');
  const name = (optionalString(args, 'name') ?? '').replace(/^:|:$/g, '');
  if (!/^[a-z0-9_+'-]+$/.test(name)) throw new SlackApiError('invalid_name');
  const message = findMessage(state, channel.id, ts);
  if (!message) throw new SlackApiError('message_not_found');
  return { channelId: channel.id, message, name, bot: state.config.botUserId };
}

/** Adds `name` to a message on behalf of `by` (the bot through reactions.add, or a person). */
export function addReaction(state: FakeState, channelId: string, ts: string, name: string, by: string): void {
  const message = findMessage(state, channelId, ts);
  if (!message) throw new SlackApiError('message_not_found');
  const reactions = message.reactions ?? [];
  const existing = reactions.find((reaction) => reaction.name === name);
  if (existing?.users.includes(by)) throw new SlackApiError('already_reacted');
  if (existing) {
    existing.users.push(by);
    existing.count += 1;
  } else {
    reactions.push({ name, users: [by], count: 1 });
  }
  message.reactions = reactions;
  state.emit({ type: 'reaction', channelId, ts: message.ts });
}

export function removeReaction(
  state: FakeState,
  channelId: string,
  ts: string,
  name: string,
  by: string,
): void {
  const message = findMessage(state, channelId, ts);
  if (!message) throw new SlackApiError('message_not_found');
  const existing = message.reactions?.find((reaction) => reaction.name === name);
  if (!existing?.users.includes(by)) throw new SlackApiError('no_reaction');
  existing.users = existing.users.filter((user) => user !== by);
  existing.count -= 1;
  message.reactions = message.reactions?.filter((reaction) => reaction.count > 0);
  if (message.reactions?.length === 0) delete message.reactions;
  state.emit({ type: 'reaction', channelId, ts: message.ts });
}

export const reactionMethods: MethodTable = {
  'reactions.add': (state, args) => {
    const { channelId, message, name, bot } = reactionTarget(state, args);
    addReaction(state, channelId, message.ts, name, bot);
    return {};
  },

  'reactions.remove': (state, args) => {
    const { channelId, message, name, bot } = reactionTarget(state, args);
    removeReaction(state, channelId, message.ts, name, bot);
    return {};
  },
};
