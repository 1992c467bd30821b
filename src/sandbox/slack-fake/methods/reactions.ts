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

export const reactionMethods: MethodTable = {
  'reactions.add': (state, args) => {
    const { channelId, message, name, bot } = reactionTarget(state, args);
    const reactions = message.reactions ?? [];
    const existing = reactions.find((reaction) => reaction.name === name);
    if (existing?.users.includes(bot)) throw new SlackApiError('already_reacted');
    if (existing) {
      existing.users.push(bot);
      existing.count += 1;
    } else {
      reactions.push({ name, users: [bot], count: 1 });
    }
    message.reactions = reactions;
    state.emit({ type: 'reaction', channelId, ts: message.ts });
    return {};
  },

  'reactions.remove': (state, args) => {
    const { channelId, message, name, bot } = reactionTarget(state, args);
    const existing = message.reactions?.find((reaction) => reaction.name === name);
    if (!existing?.users.includes(bot)) throw new SlackApiError('no_reaction');
    existing.users = existing.users.filter((user) => user !== bot);
    existing.count -= 1;
    message.reactions = message.reactions?.filter((reaction) => reaction.count > 0);
    if (message.reactions?.length === 0) delete message.reactions;
    state.emit({ type: 'reaction', channelId, ts: message.ts });
    return {};
  },
};
