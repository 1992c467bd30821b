import { isRecord } from './args.js';
import { MAX_MESSAGE_BLOCKS, normalizeBlocks } from './blocks.js';
import { appendMessage, botAuthor, deleteMessage, findMessage } from './message-store.js';
import type { FakeState } from './state.js';
import type { ResponseUrlContext, SlackBlock } from './types.js';
import { closeModal, closeStack, pushModal, replaceView, validateViewInput } from './view-store.js';

/**
 * Shows a message sent through a response_url (or a slash command's ack body) where Slack would:
 * an ephemeral for the user by default, a channel message for `in_channel`, or an edit of the message
 * the interaction came from for `replace_original` / `delete_original`. Throws on invalid blocks.
 */
export function applyResponseMessage(state: FakeState, context: ResponseUrlContext, payload: unknown): void {
  if (!isRecord(payload) || !context.channelId) return;
  const channelId = context.channelId;
  const text = typeof payload.text === 'string' ? payload.text : '';
  const blocks: SlackBlock[] | undefined =
    payload.blocks === undefined ? undefined : normalizeBlocks(payload.blocks, state.ids, MAX_MESSAGE_BLOCKS);
  const content = { text, ...(blocks ? { blocks } : {}) };

  if (context.messageTs && (payload.delete_original === true || payload.replace_original === true)) {
    if (context.isEphemeral) {
      const index = state.ephemerals.findIndex(
        (e) => e.channel === channelId && e.message_ts === context.messageTs,
      );
      const ephemeral = state.ephemerals[index];
      if (!ephemeral) return;
      if (payload.delete_original === true) state.ephemerals.splice(index, 1);
      else Object.assign(ephemeral, content);
      state.emit({ type: 'ephemeral', channelId, ts: context.messageTs, userId: ephemeral.user });
      return;
    }
    const message = findMessage(state, channelId, context.messageTs);
    if (!message) return;
    if (payload.delete_original === true) {
      deleteMessage(state, channelId, message);
    } else {
      message.text = text;
      if (blocks) message.blocks = blocks;
      else delete message.blocks;
      state.emit({ type: 'message_changed', channelId, ts: message.ts });
    }
    return;
  }
  const threadTs = typeof payload.thread_ts === 'string' ? payload.thread_ts : undefined;
  if (payload.response_type === 'in_channel') {
    appendMessage(state, channelId, {
      ...botAuthor(state),
      ...content,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return;
  }
  if (!context.userId) return;
  const ts = state.nextTs();
  state.ephemerals.push({
    channel: channelId,
    user: context.userId,
    message_ts: ts,
    ...content,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  state.emit({ type: 'ephemeral', channelId, ts, userId: context.userId });
}

export type ViewSubmissionOutcome = 'closed' | 'cleared' | 'errors' | 'updated' | 'pushed' | 'kept_open';

/**
 * What Slack does with the modal after the app answers a view_submission: an empty 200 closes it,
 * `clear` closes the stack, `errors` keeps it open with messages, `update` / `push` change the stack.
 * Anything else (a non-200, an invalid view) leaves the modal open with Slack's generic error.
 */
export function resolveViewSubmission(
  state: FakeState,
  viewId: string,
  response: { status: number; body: unknown },
): ViewSubmissionOutcome {
  const record = state.views.get(viewId);
  if (record?.status !== 'open' || response.status !== 200) return 'kept_open';
  const body = isRecord(response.body) ? response.body : {};
  switch (body.response_action) {
    case undefined:
      closeModal(state, viewId);
      return 'closed';
    case 'clear':
      closeStack(state, record.userId);
      return 'cleared';
    case 'errors':
      record.errors = isRecord(body.errors)
        ? Object.fromEntries(Object.entries(body.errors).map(([key, value]) => [key, String(value)]))
        : {};
      state.emit({ type: 'view', viewId, userId: record.userId });
      return 'errors';
    case 'update':
    case 'push':
      try {
        const input = validateViewInput(state, body.view, 'modal');
        if (body.response_action === 'update') replaceView(state, record, input);
        else pushModal(state, record.userId, input);
        return body.response_action === 'update' ? 'updated' : 'pushed';
      } catch {
        return 'kept_open';
      }
    default:
      return 'kept_open';
  }
}
