import { isRecord, optionalInteger, optionalString, requireString, stringList } from '../args.js';
import { MAX_MESSAGE_BLOCKS, normalizeBlocks } from '../blocks.js';
import { lookupChannel, requireBotMember, requireNotArchived } from '../conversation-access.js';
import type { MethodTable } from '../dispatcher.js';
import { invalidArguments, SlackApiError } from '../errors.js';
import { appendMessage, botAuthor } from '../message-store.js';
import { renderFile } from '../render.js';
import { type FakeState, nowSeconds } from '../state.js';
import type { Args, ChannelRecord, FileRecord } from '../types.js';

/**
 * Files upload v2: `files.getUploadURLExternal` reserves a file and an upload URL on the fake itself,
 * the bytes are POSTed there (`receiveUpload`), and `files.completeUploadExternal` finishes the file and
 * shares it into a channel as a message carrying `files`.
 */
export const fileMethods: MethodTable = {
  'files.getUploadURLExternal': (state, args) => {
    const filename = requireString(args, 'filename');
    const length = optionalInteger(args, 'length');
    if (length === undefined || length < 0) throw invalidArguments('missing required field: length');
    const altText = optionalString(args, 'alt_text');
    const file: FileRecord = {
      id: state.ids.file(),
      name: filename,
      title: filename,
      length,
      created: nowSeconds(state),
      user: state.config.botUserId,
      ...(altText ? { altText } : {}),
      completed: false,
      shares: [],
    };
    const uploadToken = state.ids.secret();
    state.files.set(file.id, file);
    state.uploads.set(uploadToken, file.id);
    return { upload_url: `${state.baseUrl}/upload/v1/${uploadToken}`, file_id: file.id };
  },

  'files.completeUploadExternal': (state, args) => {
    const entries = completionEntries(args);
    const files = entries.map(({ id }) => {
      const file = state.files.get(id);
      if (!file || file.completed || file.content === undefined) throw new SlackApiError('file_not_found');
      return file;
    });
    const channel = shareTarget(state, args);
    const initialComment = optionalString(args, 'initial_comment');
    const blocks =
      args.blocks === undefined ? undefined : normalizeBlocks(args.blocks, state.ids, MAX_MESSAGE_BLOCKS);
    entries.forEach(({ title }, index) => {
      const file = files[index];
      if (!file) return;
      file.completed = true;
      if (title) file.title = title;
    });
    if (channel) {
      const threadTs = optionalString(args, 'thread_ts');
      const message = appendMessage(state, channel.id, {
        ...botAuthor(state),
        text: initialComment ?? '',
        ...(blocks ? { blocks } : {}),
        upload: true,
        display_as_bot: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      for (const file of files) file.shares.push({ channel: channel.id, ts: message.ts });
      message.files = files.map((file) => renderFile(state, file));
    }
    for (const file of files)
      state.emit({ type: 'file', fileId: file.id, ...(channel ? { channelId: channel.id } : {}) });
    return { files: files.map((file) => renderFile(state, file)) };
  },

  'files.info': (state, args) => {
    const file = state.files.get(requireString(args, 'file', 'file_not_found'));
    if (!file?.completed) throw new SlackApiError('file_not_found');
    return { file: renderFile(state, file), comments: [], response_metadata: { next_cursor: '' } };
  },
};

function completionEntries(args: Args): { id: string; title?: string }[] {
  const files = args.files;
  if (!Array.isArray(files) || files.length === 0) throw invalidArguments('missing required field: files');
  return files.map((entry) => {
    if (!isRecord(entry) || typeof entry.id !== 'string') throw invalidArguments('files[].id is required');
    return { id: entry.id, ...(typeof entry.title === 'string' ? { title: entry.title } : {}) };
  });
}

/** Sharing needs the bot in the channel, public or private. */
function shareTarget(state: FakeState, args: Args): ChannelRecord | undefined {
  const channelId = optionalString(args, 'channel_id') ?? stringList(args, 'channels')[0];
  if (!channelId) return undefined;
  const channel = lookupChannel(state, channelId);
  if (!channel) throw new SlackApiError('channel_not_found');
  requireBotMember(state, channel);
  requireNotArchived(channel);
  return channel;
}

/** The bytes POST to an upload URL. Slack answers `OK - <bytes>`. */
export function receiveUpload(
  state: FakeState,
  uploadToken: string,
  bytes: Buffer,
): { status: number; body: string } {
  const fileId = state.uploads.get(uploadToken);
  const file = fileId ? state.files.get(fileId) : undefined;
  if (!file || file.completed) return { status: 404, body: 'not_found' };
  file.content = bytes;
  return { status: 200, body: `OK - ${bytes.length}` };
}
