import { optionalInteger, optionalString } from '../args.js';
import { SlackApiError } from '../errors.js';
import type { Args } from '../types.js';

/**
 * Cursor pagination as Slack does it: an opaque base64 cursor, `response_metadata.next_cursor` empty on
 * the last page. The cursor encodes an offset, which is enough for a workspace that changes slowly.
 */
export function paginate<T>(
  items: T[],
  args: Args,
  defaults: { limit: number; max: number },
): { page: T[]; nextCursor: string } {
  const requested = optionalInteger(args, 'limit');
  const limit =
    requested === undefined || requested <= 0 ? defaults.limit : Math.min(requested, defaults.max);
  const cursor = optionalString(args, 'cursor');
  let offset = 0;
  if (cursor) {
    const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!match) throw new SlackApiError('invalid_cursor');
    offset = Number(match[1]);
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit;
  return { page, nextCursor: next < items.length ? Buffer.from(`offset:${next}`).toString('base64') : '' };
}
