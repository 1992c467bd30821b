import { channelNameError } from './channel-names.js';
import { lookupChannel } from './conversation-access.js';
import { type FakeState, nowSeconds } from './state.js';
import { describeTimeZone } from './time-zones.js';
import type { ChannelRecord, SlackUser } from './types.js';

export interface NewUser {
  id?: string;
  name: string;
  realName?: string;
  email?: string;
  /** IANA zone; default America/New_York. */
  tz?: string;
  isBot?: boolean;
  isAdmin?: boolean;
}

export interface NewChannel {
  name: string;
  isPrivate?: boolean;
  /** Member user ids; the bot is only a member when listed (or the channel is #general). */
  members?: string[];
  topic?: string;
  purpose?: string;
}

/** Adds a person (or bot) to the workspace; like Slack's default channel, #general gains them. */
export function addUser(state: FakeState, input: NewUser): SlackUser {
  const id = input.id ?? state.ids.user();
  if (state.users.has(id)) throw new Error(`slack fake: user ${id} already exists`);
  const tz = input.tz ?? 'America/New_York';
  const zone = describeTimeZone(tz, state.now());
  const realName = input.realName ?? input.name;
  const [firstName = '', ...rest] = realName.split(' ');
  const user: SlackUser = {
    id,
    team_id: state.config.teamId,
    name: input.name,
    deleted: false,
    real_name: realName,
    tz,
    tz_label: zone.label,
    tz_offset: zone.offsetSeconds,
    is_admin: input.isAdmin ?? false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: input.isBot ?? false,
    is_app_user: false,
    updated: nowSeconds(state),
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: input.name,
      display_name_normalized: input.name,
      ...(input.email !== undefined ? { email: input.email } : {}),
      first_name: firstName,
      last_name: rest.join(' '),
      title: '',
      status_text: '',
      status_emoji: '',
      image_48: `https://avatars.slack-edge.test/${id}_48.png`,
      team: state.config.teamId,
    },
  };
  state.users.set(id, user);
  for (const channel of state.channels.values()) {
    if (channel.isGeneral) channel.members.add(id);
  }
  state.emit({ type: 'user', userId: id });
  return user;
}

export function addChannel(
  state: FakeState,
  input: NewChannel,
  creator = state.config.botUserId,
): ChannelRecord {
  const nameError = channelNameError(input.name);
  if (nameError) throw new Error(`slack fake: channel name "${input.name}" is invalid (${nameError})`);
  if (lookupChannel(state, input.name)) throw new Error(`slack fake: channel #${input.name} already exists`);
  for (const member of input.members ?? []) {
    if (!state.users.has(member)) throw new Error(`slack fake: unknown member ${member}`);
  }
  const created = nowSeconds(state);
  const channel: ChannelRecord = {
    id: state.ids.channel(),
    name: input.name,
    isPrivate: input.isPrivate ?? false,
    isIm: false,
    isGeneral: false,
    created,
    creator,
    isArchived: false,
    topic: {
      value: input.topic ?? '',
      creator: input.topic ? creator : '',
      last_set: input.topic ? created : 0,
    },
    purpose: {
      value: input.purpose ?? '',
      creator: input.purpose ? creator : '',
      last_set: input.purpose ? created : 0,
    },
    members: new Set(input.members ?? []),
    previousNames: [],
    updated: state.now(),
  };
  state.channels.set(channel.id, channel);
  state.emit({ type: 'channel', channelId: channel.id });
  return channel;
}

/** A fresh workspace: the bot user, and #general with everyone in it. */
export function seedWorkspace(state: FakeState): void {
  const { botUserId, botId, appId, botName } = state.config;
  const bot = addUser(state, {
    id: botUserId,
    name: botName,
    realName: 'Incident Bot',
    isBot: true,
    tz: 'UTC',
  });
  bot.profile.bot_id = botId;
  bot.profile.api_app_id = appId;
  const general = addChannel(state, { name: 'general', members: [...state.users.keys()] }, botUserId);
  general.isGeneral = true;
}
