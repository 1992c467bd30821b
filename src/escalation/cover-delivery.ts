import type { Pool } from '../db/pool.js';
import {
  type CoverPost,
  type CoverRequest,
  findCoverRequest,
  insertCoverPost,
  listCoverPosts,
} from './cover-repo.js';
import { type CoverAudience, coverAudience } from './cover-service.js';
import type { OncallConfig } from './oncall-config.js';
import type { Identity } from './override-access.js';

export type CoverDelivery = ReturnType<typeof createCoverDelivery>;

/**
 * The domain's half of showing cover requests in Slack: the request with the copies already posted,
 * who it goes to, and the record of each copy (so every one is edited later). The Slack adapter
 * (slack/cover-messenger.ts) only posts and edits.
 */
export function createCoverDelivery({ pool, oncall }: { pool: Pool; oncall: OncallConfig }) {
  return {
    /** The request and its copies so far; null when there is no such request. */
    async find(id: number): Promise<{ request: CoverRequest; posts: CoverPost[] } | null> {
      const [request, posts] = await Promise.all([findCoverRequest(pool, id), listCoverPosts(pool, id)]);
      return request ? { request, posts } : null;
    },

    /** Who a request is posted to; none when its schedule left oncall.yaml. */
    audience(request: CoverRequest, requester: Identity): CoverAudience {
      const schedule = oncall.schedules[request.schedule];
      return schedule ? coverAudience(schedule, requester) : { channel: null, people: [] };
    },

    recordPost: (id: number, post: CoverPost) => insertCoverPost(pool, id, post),
  };
}
