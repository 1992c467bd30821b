import { optionalBoolean, optionalString } from '../args.js';
import { SlackApiError } from '../errors.js';
import { findMessage, isReply, isTopLevel, threadReplies } from '../message-store.js';
import type { FakeState } from '../state.js';
import type { Args, SlackMessage } from '../types.js';
import { paginate } from './pagination.js';

/** Slack returns message metadata only to callers who ask for it. */
function present(messages: SlackMessage[], args: Args): SlackMessage[] {
  const withMetadata = optionalBoolean(args, 'include_all_metadata') ?? false;
  return messages.map((message) => {
    const copy = structuredClone(message);
    if (!withMetadata) delete copy.metadata;
    return copy;
  });
}

function tsBound(args: Args, key: 'oldest' | 'latest'): number | undefined {
  const value = optionalString(args, key);
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed))
    throw new SlackApiError(key === 'oldest' ? 'invalid_ts_oldest' : 'invalid_ts_latest');
  return parsed;
}

/** conversations.history: channel-level messages, newest first, within `oldest`/`latest`. */
export function readHistory(state: FakeState, channelId: string, args: Args): Record<string, unknown> {
  const oldest = tsBound(args, 'oldest');
  const latest = tsBound(args, 'latest');
  const inclusive = optionalBoolean(args, 'inclusive') ?? false;
  const inRange = (ts: number) =>
    (oldest === undefined || ts > oldest || (inclusive && ts === oldest)) &&
    (latest === undefined || ts < latest || (inclusive && ts === latest));
  const messages = (state.messages.get(channelId) ?? [])
    .filter((message) => isTopLevel(message) && inRange(Number(message.ts)))
    .reverse();
  const { page, nextCursor } = paginate(messages, args, { limit: 100, max: 999 });
  return {
    messages: present(page, args),
    has_more: nextCursor !== '',
    pin_count: state.pins.get(channelId)?.length ?? 0,
    response_metadata: { next_cursor: nextCursor },
  };
}

/** conversations.replies: the thread's parent first, then its replies oldest first. */
export function readReplies(
  state: FakeState,
  channelId: string,
  ts: string,
  args: Args,
): Record<string, unknown> {
  const target = findMessage(state, channelId, ts);
  if (!target) throw new SlackApiError('thread_not_found');
  const parent =
    isReply(target) && target.thread_ts ? findMessage(state, channelId, target.thread_ts) : target;
  if (!parent) throw new SlackApiError('thread_not_found');
  const thread = [parent, ...threadReplies(state, channelId, parent.ts)];
  const { page, nextCursor } = paginate(thread, args, { limit: 100, max: 1000 });
  return {
    messages: present(page, args),
    has_more: nextCursor !== '',
    response_metadata: { next_cursor: nextCursor },
  };
}
