import { optionalString, requireString } from '../args.js';
import { requireNotArchived, visibleChannel } from '../conversation-access.js';
import type { MethodTable } from '../dispatcher.js';
import { SlackApiError } from '../errors.js';
import { nowSeconds } from '../state.js';
import type { SlackBookmark } from '../types.js';

const MAX_BOOKMARKS = 100;

export const bookmarkMethods: MethodTable = {
  'bookmarks.add': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel_id'));
    const title = requireString(args, 'title');
    const type = requireString(args, 'type');
    if (type !== 'link') throw new SlackApiError('invalid_bookmark_type');
    const link = optionalString(args, 'link') ?? '';
    if (!/^https?:\/\/\S+$/.test(link)) throw new SlackApiError('invalid_link');
    requireNotArchived(channel);
    const list = state.bookmarks.get(channel.id) ?? [];
    if (list.length >= MAX_BOOKMARKS) throw new SlackApiError('too_many_bookmarks');
    const now = nowSeconds(state);
    const bookmark: SlackBookmark = {
      id: state.ids.bookmark(),
      channel_id: channel.id,
      title,
      link,
      emoji: optionalString(args, 'emoji') ?? null,
      icon_url: null,
      type: 'link',
      entity_id: optionalString(args, 'entity_id') ?? null,
      date_created: now,
      date_updated: now,
      rank: String.fromCharCode(97 + (list.length % 26)),
      last_updated_by_user_id: state.config.botUserId,
      last_updated_by_team_id: state.config.teamId,
      shortcut_id: null,
      app_id: state.config.appId,
    };
    list.push(bookmark);
    state.bookmarks.set(channel.id, list);
    state.emit({ type: 'bookmark', channelId: channel.id });
    return { bookmark: structuredClone(bookmark) };
  },

  'bookmarks.list': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel_id'));
    return { bookmarks: structuredClone(state.bookmarks.get(channel.id) ?? []) };
  },

  'bookmarks.remove': (state, args) => {
    const channel = visibleChannel(state, optionalString(args, 'channel_id'));
    const id = requireString(args, 'bookmark_id', 'not_found');
    const list = state.bookmarks.get(channel.id) ?? [];
    if (!list.some((bookmark) => bookmark.id === id)) throw new SlackApiError('not_found');
    state.bookmarks.set(
      channel.id,
      list.filter((bookmark) => bookmark.id !== id),
    );
    state.emit({ type: 'bookmark', channelId: channel.id });
    return {};
  },
};
