import type { FakeState } from './state.js';
import type { ChannelRecord, FileRecord, SlackChannel, SlackFile } from './types.js';

/** Slack's conversation object, seen from the bot (`is_member` is the bot's membership). */
export function renderChannel(
  state: FakeState,
  channel: ChannelRecord,
  options: { numMembers?: boolean } = {},
): SlackChannel {
  const base = {
    id: channel.id,
    created: channel.created,
    updated: channel.updated,
    is_archived: channel.isArchived,
    context_team_id: state.config.teamId,
    is_org_shared: false,
    priority: 0,
  };
  if (channel.isIm) {
    return {
      ...base,
      is_channel: false,
      is_group: false,
      is_im: true,
      is_mpim: false,
      is_private: true,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_member: true,
      user: channel.imUserId,
      unlinked: 0,
    };
  }
  return {
    ...base,
    name: channel.name,
    name_normalized: channel.name,
    // Private channels created since 2021 are `is_channel: true` with `C` ids; `is_group` is legacy.
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    is_general: channel.isGeneral,
    is_shared: false,
    is_ext_shared: false,
    is_member: channel.members.has(state.config.botUserId),
    creator: channel.creator,
    unlinked: 0,
    topic: { ...channel.topic },
    purpose: { ...channel.purpose },
    previous_names: [...channel.previousNames],
    ...(options.numMembers ? { num_members: channel.members.size } : {}),
  };
}

const MIME_TYPES: Record<string, [mimetype: string, prettyType: string]> = {
  txt: ['text/plain', 'Plain Text'],
  md: ['text/markdown', 'Markdown (raw)'],
  json: ['application/json', 'JSON'],
  csv: ['text/csv', 'CSV'],
  html: ['text/html', 'HTML'],
  pdf: ['application/pdf', 'PDF'],
  png: ['image/png', 'PNG'],
  jpg: ['image/jpeg', 'JPEG'],
  jpeg: ['image/jpeg', 'JPEG'],
  gif: ['image/gif', 'GIF'],
};

export function fileDownloadPath(file: FileRecord): string {
  return `/files/${file.id}/${encodeURIComponent(file.name)}`;
}

export function renderFile(state: FakeState, file: FileRecord): SlackFile {
  const extension = file.name.includes('.') ? (file.name.split('.').pop()?.toLowerCase() ?? '') : '';
  const [mimetype, prettyType] = MIME_TYPES[extension] ?? ['application/octet-stream', 'Binary'];
  const channels = new Set(file.shares.map((share) => share.channel));
  const byKind = (predicate: (channel: ChannelRecord) => boolean) =>
    [...channels].filter((id) => {
      const channel = state.channels.get(id);
      return channel !== undefined && predicate(channel);
    });
  const url = `${state.baseUrl}${fileDownloadPath(file)}`;
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype,
    filetype: extension === '' ? 'binary' : extension,
    pretty_type: prettyType,
    user: file.user,
    user_team: state.config.teamId,
    editable: false,
    size: file.content?.length ?? file.length,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: byKind((c) => !c.isPrivate && !c.isIm).length > 0,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: url,
    url_private_download: `${url}?download=1`,
    permalink: `${state.baseUrl}/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
    channels: byKind((c) => !c.isPrivate && !c.isIm),
    groups: byKind((c) => c.isPrivate && !c.isIm),
    ims: byKind((c) => c.isIm),
    comments_count: 0,
    ...(file.altText !== undefined ? { alt_txt: file.altText } : {}),
  };
}

/** Slack permalinks: `/archives/<channel>/p<ts without the dot>`, with the thread for replies. */
export function permalink(state: FakeState, channelId: string, ts: string, threadTs?: string): string {
  const base = `${state.baseUrl}/archives/${channelId}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channelId}` : base;
}
