import { optionalBoolean, optionalString, requireString, stringList } from '../args.js';
import { channelNameError } from '../channel-names.js';
import {
  lookupChannel,
  openDm,
  requireBotMember,
  requireNotArchived,
  visibleChannel,
} from '../conversation-access.js';
import type { MethodHandler, MethodTable } from '../dispatcher.js';
import { invalidArguments, SlackApiError } from '../errors.js';
import { renderChannel } from '../render.js';
import { addChannel } from '../seed.js';
import { type FakeState, nowSeconds } from '../state.js';
import type { ChannelRecord } from '../types.js';
import { readHistory, readReplies } from './history.js';
import { paginate } from './pagination.js';

const TOPIC_MAX_LENGTH = 250;
const CHANNEL_TYPES = new Set(['public_channel', 'private_channel', 'mpim', 'im']);

function assertNameAvailable(state: FakeState, name: string, except?: ChannelRecord): void {
  const error = channelNameError(name);
  if (error) throw new SlackApiError(error);
  // Archived channels keep their names.
  const existing = lookupChannel(state, name);
  if (existing && existing !== except && !existing.isIm) throw new SlackApiError('name_taken');
}

function channelOf(state: FakeState, channel: ChannelRecord) {
  return { channel: renderChannel(state, channel) };
}

function touched(state: FakeState, channel: ChannelRecord, type: 'channel' | 'member' = 'channel'): void {
  channel.updated = state.now();
  state.emit({ type, channelId: channel.id });
}

/** setTopic and setPurpose share their rules: member of a live channel, at most 250 characters. */
function setDescription(field: 'topic' | 'purpose'): MethodHandler {
  return (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    const value = optionalString(args, field) ?? '';
    if (value.length > TOPIC_MAX_LENGTH) throw new SlackApiError('too_long');
    requireNotArchived(channel);
    requireBotMember(state, channel);
    channel[field] = { value, creator: state.config.botUserId, last_set: nowSeconds(state) };
    touched(state, channel);
    return channelOf(state, channel);
  };
}

export const conversationMethods: MethodTable = {
  'conversations.create': (state, args) => {
    const name = optionalString(args, 'name') ?? '';
    assertNameAvailable(state, name);
    const channel = addChannel(state, {
      name,
      isPrivate: optionalBoolean(args, 'is_private') ?? false,
      members: [state.config.botUserId],
    });
    return channelOf(state, channel);
  },

  'conversations.info': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    const numMembers = optionalBoolean(args, 'include_num_members') ?? false;
    return { channel: renderChannel(state, channel, { numMembers }) };
  },

  'conversations.list': (state, args) => {
    const types = stringList(args, 'types');
    const wanted = new Set(types.length > 0 ? types : ['public_channel']);
    for (const type of wanted) if (!CHANNEL_TYPES.has(type)) throw new SlackApiError('invalid_types');
    const excludeArchived = optionalBoolean(args, 'exclude_archived') ?? false;
    const bot = state.config.botUserId;
    const matching = [...state.channels.values()].filter((channel) => {
      if (excludeArchived && channel.isArchived) return false;
      if (channel.isIm) return wanted.has('im');
      if (channel.isPrivate) return wanted.has('private_channel') && channel.members.has(bot);
      return wanted.has('public_channel');
    });
    const { page, nextCursor } = paginate(matching, args, { limit: 100, max: 1000 });
    return {
      channels: page.map((channel) => renderChannel(state, channel, { numMembers: !channel.isIm })),
      response_metadata: { next_cursor: nextCursor },
    };
  },

  'conversations.members': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    const { page, nextCursor } = paginate([...channel.members], args, { limit: 100, max: 1000 });
    return { members: page, response_metadata: { next_cursor: nextCursor } };
  },

  'conversations.invite': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    const users = stringList(args, 'users');
    if (users.length === 0) throw new SlackApiError('no_user');
    requireNotArchived(channel);
    requireBotMember(state, channel);
    if (channel.isIm) throw new SlackApiError('method_not_supported_for_channel_type');
    const failures: { user: string; ok: false; error: string }[] = [];
    const toAdd: string[] = [];
    for (const user of users) {
      if (user === state.config.botUserId) failures.push({ user, ok: false, error: 'cant_invite_self' });
      else if (!state.users.has(user)) failures.push({ user, ok: false, error: 'user_not_found' });
      else if (!channel.members.has(user)) toAdd.push(user);
    }
    const force = optionalBoolean(args, 'force') ?? false;
    const [firstFailure] = failures;
    // Without `force` one bad invitee fails the whole call; with it the others still join.
    if (firstFailure && (!force || toAdd.length === 0))
      throw new SlackApiError(firstFailure.error, { errors: failures });
    if (toAdd.length === 0) throw new SlackApiError('already_in_channel');
    for (const user of toAdd) channel.members.add(user);
    touched(state, channel, 'member');
    return { ...channelOf(state, channel), ...(failures.length > 0 ? { errors: failures } : {}) };
  },

  'conversations.join': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    if (channel.isIm || channel.isPrivate) throw new SlackApiError('method_not_supported_for_channel_type');
    requireNotArchived(channel);
    if (channel.members.has(state.config.botUserId)) {
      return {
        ...channelOf(state, channel),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      };
    }
    channel.members.add(state.config.botUserId);
    touched(state, channel, 'member');
    return channelOf(state, channel);
  },

  'conversations.setTopic': setDescription('topic'),
  'conversations.setPurpose': setDescription('purpose'),

  'conversations.archive': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    if (channel.isIm) throw new SlackApiError('method_not_supported_for_channel_type');
    if (channel.isGeneral) throw new SlackApiError('cant_archive_general');
    if (channel.isArchived) throw new SlackApiError('already_archived');
    requireBotMember(state, channel);
    channel.isArchived = true;
    touched(state, channel);
    return {};
  },

  'conversations.unarchive': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    if (!channel.isArchived) throw new SlackApiError('not_archived');
    channel.isArchived = false;
    touched(state, channel);
    return {};
  },

  'conversations.rename': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    if (channel.isIm) throw new SlackApiError('method_not_supported_for_channel_type');
    const name = optionalString(args, 'name') ?? '';
    assertNameAvailable(state, name, channel);
    requireNotArchived(channel);
    requireBotMember(state, channel);
    if (name !== channel.name) {
      channel.previousNames.unshift(channel.name);
      channel.name = name;
      touched(state, channel);
    }
    return channelOf(state, channel);
  },

  'conversations.history': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    requireBotMember(state, channel);
    return readHistory(state, channel.id, args);
  },

  'conversations.replies': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel'));
    requireBotMember(state, channel);
    return readReplies(state, channel.id, requireString(args, 'ts', 'thread_not_found'), args);
  },

  'conversations.open': (state, args) => {
    const existingId = optionalString(args, 'channel');
    if (existingId) {
      const channel = visibleChannel(state, existingId);
      return { no_op: true, already_open: true, channel: { id: channel.id } };
    }
    const users = stringList(args, 'users');
    if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
    // Group DMs (several users) are not modelled: the bot only talks to people one to one.
    if (users.length > 1)
      throw invalidArguments('the sandbox does not model group DMs [json-pointer:/users]');
    const [user = ''] = users;
    if (!state.users.has(user)) throw new SlackApiError('user_not_found');
    const { channel, created } = openDm(state, user);
    const returnIm = optionalBoolean(args, 'return_im') ?? false;
    return {
      ...(created ? {} : { no_op: true, already_open: true }),
      channel: returnIm ? renderChannel(state, channel) : { id: channel.id },
    };
  },
};
