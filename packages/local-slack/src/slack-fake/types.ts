/**
 * Shapes the fake stores and returns. Field names are Slack's (snake_case) wherever the object is one Slack
 * returns, so what a test reads from the fake is what the bot would read from Slack.
 */

/** Arguments of a Web API call after body parsing (nested JSON already decoded). */
export type Args = Record<string, unknown>;

/** A Block Kit block or element as the app sent it; the fake only reads a few fields. */
export type SlackBlock = { type: string; block_id?: string } & Record<string, unknown>;

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export interface SlackUserProfile {
  real_name: string;
  real_name_normalized: string;
  display_name: string;
  display_name_normalized: string;
  email?: string;
  first_name: string;
  last_name: string;
  title: string;
  status_text: string;
  status_emoji: string;
  image_48: string;
  team: string;
  bot_id?: string;
  api_app_id?: string;
}

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  real_name: string;
  tz: string;
  tz_label: string;
  /** Seconds east of UTC at the time the user was added (Slack updates it as offsets change). */
  tz_offset: number;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  updated: number;
  profile: SlackUserProfile;
}

export interface TopicValue {
  value: string;
  creator: string;
  last_set: number;
}

/** A conversation as the fake keeps it; `renderChannel` turns it into Slack's conversation object. */
export interface ChannelRecord {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  /** The other party of a DM. */
  imUserId?: string;
  isGeneral: boolean;
  created: number;
  creator: string;
  isArchived: boolean;
  topic: TopicValue;
  purpose: TopicValue;
  members: Set<string>;
  previousNames: string[];
  updated: number;
}

/** Slack's conversation object (the subset of fields Slack returns for channels and DMs). */
export interface SlackChannel {
  id: string;
  name?: string;
  name_normalized?: string;
  is_channel: boolean;
  is_group: boolean;
  is_im: boolean;
  is_mpim: boolean;
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  is_shared: boolean;
  is_ext_shared: boolean;
  is_org_shared: boolean;
  is_member: boolean;
  created: number;
  updated: number;
  creator?: string;
  user?: string;
  context_team_id: string;
  topic?: TopicValue;
  purpose?: TopicValue;
  previous_names?: string[];
  num_members?: number;
  unlinked: number;
  priority: number;
}

export interface SlackReaction {
  name: string;
  users: string[];
  count: number;
}

export interface BotProfile {
  id: string;
  app_id: string;
  user_id: string;
  name: string;
  deleted: boolean;
  team_id: string;
  updated: number;
}

export interface SlackMessage {
  type: 'message';
  subtype?: string;
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  bot_profile?: BotProfile;
  blocks?: SlackBlock[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  files?: SlackFile[];
  upload?: boolean;
  display_as_bot?: boolean;
  reactions?: SlackReaction[];
  pinned_to?: string[];
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
}

/** An ephemeral message: only `user` sees it, and it never enters history. */
export interface SlackEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks?: SlackBlock[];
  attachments?: unknown[];
  thread_ts?: string;
}

export interface PinRecord {
  channel: string;
  ts: string;
  created: number;
  created_by: string;
}

export interface SlackBookmark {
  id: string;
  channel_id: string;
  title: string;
  link: string;
  emoji: string | null;
  icon_url: string | null;
  type: 'link';
  entity_id: string | null;
  date_created: number;
  date_updated: number;
  rank: string;
  last_updated_by_user_id: string;
  last_updated_by_team_id: string;
  shortcut_id: string | null;
  app_id: string | null;
}

export interface SlackView {
  id: string;
  team_id: string;
  type: string;
  title?: TextObject;
  close: TextObject | null;
  submit: TextObject | null;
  blocks: SlackBlock[];
  private_metadata: string;
  callback_id: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  external_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export type ViewStatus = 'open' | 'closed';

/** A view and who sees it. Closed modals are kept so tests can inspect what was shown. */
export interface FakeView {
  view: SlackView;
  userId: string;
  status: ViewStatus;
  /** The `response_action: 'errors'` map of the last submission, shown under the inputs. */
  errors?: Record<string, string>;
}

export interface FileRecord {
  id: string;
  name: string;
  title: string;
  length: number;
  created: number;
  user: string;
  altText?: string;
  content?: Buffer;
  completed: boolean;
  /** Where the file was shared: channel → message ts. */
  shares: { channel: string; ts: string }[];
}

export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  user_team: string;
  editable: boolean;
  size: number;
  mode: 'hosted';
  is_external: boolean;
  external_type: string;
  is_public: boolean;
  public_url_shared: boolean;
  display_as_bot: boolean;
  username: string;
  url_private: string;
  url_private_download: string;
  permalink: string;
  channels: string[];
  groups: string[];
  ims: string[];
  comments_count: number;
  alt_txt?: string;
}

/** Where a response_url came from, so posts to it can land where Slack would show them. */
export interface ResponseUrlContext {
  channelId?: string;
  userId?: string;
  /** The message a block action came from (replace_original / delete_original act on it). */
  messageTs?: string;
  isEphemeral?: boolean;
}

export interface ResponseUrlPost {
  url: string;
  at: number;
  body: unknown;
}

export type FakeChangeType =
  | 'message'
  | 'message_changed'
  | 'message_deleted'
  | 'ephemeral'
  | 'channel'
  | 'member'
  | 'pin'
  | 'bookmark'
  | 'reaction'
  | 'view'
  | 'file'
  | 'user'
  | 'usergroup'
  | 'response_url';

/** A user group (`@handle` in messages), as `usergroups.list` returns it. */
export interface SlackUsergroup {
  id: string;
  team_id: string;
  is_usergroup: true;
  is_subteam: true;
  name: string;
  description: string;
  handle: string;
  is_external: boolean;
  date_create: number;
  date_update: number;
  /** 0 while enabled. */
  date_delete: number;
  auto_type: null;
  auto_provision: boolean;
  enterprise_subteam_id: string;
  created_by: string;
  updated_by: string;
  deleted_by: string | null;
  prefs: { channels: string[]; groups: string[] };
  users: string[];
  user_count: number;
}

/** Emitted on `fake.events` as `'change'` after every state mutation. */
export interface FakeChange {
  type: FakeChangeType;
  channelId?: string;
  ts?: string;
  userId?: string;
  viewId?: string;
  fileId?: string;
}

export type FakeFault =
  | { rateLimited: { retryAfterSec: number } }
  | { httpStatus: 500 | 502 | 503 | 504 }
  | { error: string }
  /** Answer normally, but only after this delay (slow-Slack and timeout tests). */
  | { delayMs: number }
  /** Does the work, then answers late: the caller may die before it hears that the call succeeded. */
  | { delayResponseMs: number };

export interface CallRecord {
  method: string;
  args: Args;
  at: number;
  status: number;
  ok: boolean;
  error?: string;
  /** True when an injected fault decided the outcome. */
  faulted: boolean;
}
