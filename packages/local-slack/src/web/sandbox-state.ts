import type { FakeView, SlackChannel, SlackFake, SlackFile, SlackMessage } from '../slack-fake/index.js';
import { RequestError } from './sandbox-http.js';

/** A conversation as the person sees it in the sidebar. */
interface Conversation {
  channel: SlackChannel;
  kind: 'channel' | 'dm';
  /** The channel's name; for the DM, the bot's name. */
  name: string;
  isMember: boolean;
}

export interface SandboxReaderOptions {
  fake: SlackFake;
  /** The ids of the people one can act as. */
  userIds: string[];
  title: string;
  messageShortcuts: { callbackId: string; name: string }[];
}

/** What a chosen person sees in the workspace, shaped for the page. */
export function createSandboxReader(options: SandboxReaderOptions) {
  const { fake, userIds, title } = options;
  const botUserId = fake.config.botUserId;
  const botName = fake.config.botName;

  const knownUser = (userId: unknown): string => {
    if (typeof userId !== 'string' || userId === '') throw new RequestError('missing user');
    if (!fake.getUser(userId)) throw new RequestError(`unknown user ${userId}`);
    return userId;
  };
  const userName = (userId: string | undefined): string => {
    if (!userId) return 'unknown';
    if (userId === botUserId) return botName;
    const user = fake.getUser(userId);
    return user ? user.real_name || user.name : userId;
  };
  const fileSummary = (file: SlackFile) => ({
    id: file.id,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    size: file.size,
    url: `/api/files/${encodeURIComponent(file.id)}`,
  });
  const messageSummary = (message: SlackMessage, pinned: Set<string>) => ({
    ts: message.ts,
    user: message.user ?? null,
    author: message.bot_id ? (message.bot_profile?.name ?? botName) : userName(message.user),
    isBot: message.bot_id !== undefined || message.user === botUserId,
    text: message.text,
    blocks: message.blocks ?? [],
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
    replyCount: message.reply_count ?? 0,
    files: (message.files ?? []).map(fileSummary),
    pinned: pinned.has(message.ts),
    edited: message.edited !== undefined,
    reactions: (message.reactions ?? []).map((r) => ({ name: r.name, count: r.count, users: r.users })),
  });
  const viewSummary = (record: FakeView | undefined) => {
    if (!record) return null;
    const { view } = record;
    return {
      id: view.id,
      type: view.type,
      callbackId: view.callback_id,
      title: view.title?.text ?? '',
      submit: view.submit?.text ?? null,
      close: view.close?.text ?? null,
      blocks: view.blocks,
      errors: record.errors ?? {},
    };
  };

  const stateFor = (userId: string) => {
    const channels = fake.listChannels();
    const conversations = channels.flatMap((channel): Conversation[] => {
      const members = fake.members(channel.id);
      const isMember = members.includes(userId);
      if (channel.is_im) {
        // Only the person's own DM with the bot.
        if (channel.user !== userId) return [];
        return [{ channel, kind: 'dm', name: botName, isMember: true }];
      }
      if (channel.is_private && !isMember) return [];
      return [{ channel, kind: 'channel', name: channel.name ?? channel.id, isMember }];
    });
    const ephemerals = fake.ephemerals().filter((e) => e.user === userId);
    const openViews = fake.openViews(userId);
    return {
      title,
      me: { id: userId, name: userName(userId) },
      bot: { id: botUserId, name: botName },
      /** Every workspace person, for `<@U…>` mentions. */
      userNames: Object.fromEntries([...new Set([...userIds, botUserId])].map((id) => [id, userName(id)])),
      /** Every channel name the person may see, for `<#C…>` mentions. */
      channelNames: Object.fromEntries(conversations.map((c) => [c.channel.id, c.name])),
      channels: conversations.map(({ channel, kind, name, isMember }) => {
        const pinned = new Set(fake.pins(channel.id).map((pin) => pin.ts));
        return {
          id: channel.id,
          name,
          kind,
          isPrivate: channel.is_private,
          isArchived: channel.is_archived,
          isMember,
          topic: channel.topic?.value ?? '',
          messages: fake.messages(channel.id).map((m) => messageSummary(m, pinned)),
          ephemerals: ephemerals
            .filter((e) => e.channel === channel.id)
            .map((e) => ({
              ts: e.message_ts,
              text: e.text,
              blocks: e.blocks ?? [],
              ...(e.thread_ts ? { threadTs: e.thread_ts } : {}),
            })),
        };
      }),
      shortcuts: options.messageShortcuts,
      modal: viewSummary(openViews.at(-1)),
      modalDepth: openViews.length,
      home: viewSummary(fake.homeView(userId)),
    };
  };

  const repliesOf = (channelId: string, ts: string) => {
    if (!fake.getChannel(channelId)) throw new RequestError(`unknown channel ${channelId}`);
    const pinned = new Set(fake.pins(channelId).map((pin) => pin.ts));
    const parent = fake.getMessage(channelId, ts);
    return {
      parent: parent ? messageSummary(parent, pinned) : null,
      replies: fake.replies(channelId, ts).map((m) => messageSummary(m, pinned)),
    };
  };

  return { knownUser, userName, stateFor, repliesOf };
}
