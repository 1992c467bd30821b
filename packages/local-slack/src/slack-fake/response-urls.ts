import { isRecord } from './args.js';
import { lookupChannel } from './conversation-access.js';
import { SlackApiError } from './errors.js';
import { applyResponseMessage } from './interactions.js';
import type { FakeState } from './state.js';
import type { ResponseUrlContext, ResponseUrlPost } from './types.js';

/** Context channels may be given by name; they are stored as ids, which is what messages are keyed by. */
export function resolveContext(state: FakeState, context: ResponseUrlContext): ResponseUrlContext {
  if (context.channelId === undefined) return { ...context };
  const channel = lookupChannel(state, context.channelId);
  if (!channel) throw new Error(`slack fake: unknown channel ${context.channelId}`);
  return { ...context, channelId: channel.id };
}

export function createResponseUrl(state: FakeState, context: ResponseUrlContext = {}): string {
  context = resolveContext(state, context);
  const id = state.ids.secret();
  const url = `${state.baseUrl}/response/${id}`;
  state.responseUrls.set(id, { url, context, createdAt: state.now(), uses: 0 });
  return url;
}

export interface PlainReply {
  status: number;
  body: string;
}

/**
 * A POST to a response_url. Slack answers 404 once the URL has been used `responseUrlMaxUses` times
 * (`used_url`) or is older than 30 minutes (`expired_url`); accepted posts are recorded and shown.
 */
export function postToResponseUrl(state: FakeState, id: string, body: unknown): PlainReply {
  const record = state.responseUrls.get(id);
  if (!record) return { status: 404, body: 'no_service' };
  if (state.now() - record.createdAt > state.config.responseUrlTtlMs)
    return { status: 404, body: 'expired_url' };
  if (record.uses >= state.config.responseUrlMaxUses) return { status: 404, body: 'used_url' };
  if (!isRecord(body)) return { status: 400, body: 'invalid_payload' };
  const hasContent =
    typeof body.text === 'string' || Array.isArray(body.blocks) || body.delete_original === true;
  if (!hasContent) return { status: 400, body: 'no_text' };
  try {
    applyResponseMessage(state, record.context, body);
  } catch (error) {
    if (error instanceof SlackApiError) return { status: 400, body: error.code };
    throw error;
  }
  record.uses += 1;
  state.responsePosts.push({ url: record.url, at: state.now(), body });
  state.emit({
    type: 'response_url',
    ...(record.context.channelId ? { channelId: record.context.channelId } : {}),
  });
  return { status: 200, body: 'ok' };
}

export function listResponses(state: FakeState, url?: string): ResponseUrlPost[] {
  return structuredClone(state.responsePosts.filter((post) => url === undefined || post.url === url));
}
