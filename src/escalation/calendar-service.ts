import type { Clock } from '../clock.js';
import { type Pool, withTransaction } from '../db/pool.js';
import { type FeedEvent, personalEvents, scheduleEvents } from './calendar-feed.js';
import {
  type CalendarFeedScope,
  findCalendarScope,
  insertCalendarToken,
  newCalendarToken,
  revokeCalendarTokens,
} from './calendar-tokens-repo.js';
import type { OncallConfig } from './oncall-config.js';
import type { Identity } from './override-access.js';
import { effectiveSchedules } from './overrides-repo.js';

export interface CalendarServiceDeps {
  pool: Pool;
  clock: Clock;
  oncall: OncallConfig;
}

/** The tokens of fresh links: the person's own feed and one per schedule (shown once, stored hashed). */
export interface IssuedCalendarLinks {
  personal: string;
  schedules: { schedule: string; token: string }[];
}

export interface CalendarFeed {
  scope: CalendarFeedScope;
  events: FeedEvent[];
  generatedAt: Date;
}

export type CalendarService = ReturnType<typeof createCalendarService>;

/**
 * Calendar feeds of the on-call schedules (issue #14, item 3). A link is a random token; only its hash
 * is kept, so a link cannot be shown twice: each request issues new links, the earlier ones keep
 * working (a calendar already subscribed to them goes on updating) until their owner resets them.
 */
export function createCalendarService({ pool, clock, oncall }: CalendarServiceDeps) {
  return {
    async issueLinks(owner: Identity): Promise<IssuedCalendarLinks> {
      const personal = newCalendarToken();
      const schedules = Object.keys(oncall.schedules).map((schedule) => ({
        schedule,
        token: newCalendarToken(),
      }));
      await withTransaction(pool, async (db) => {
        await insertCalendarToken(db, personal, {
          kind: 'personal',
          ownerId: owner.id,
          ownerEmail: owner.email,
        });
        for (const { schedule, token } of schedules)
          await insertCalendarToken(db, token, { kind: 'schedule', ownerId: owner.id, schedule });
      });
      return { personal, schedules };
    },

    /** Revokes every link `ownerId` was given; returns how many were live. */
    revokeLinks(ownerId: string): Promise<number> {
      return revokeCalendarTokens(pool, ownerId, clock.now());
    },

    /**
     * The feed a token opens, or null for a token never issued, revoked, or naming a schedule that is
     * no longer in oncall.yaml: all three are answered alike.
     */
    async feed(token: string): Promise<CalendarFeed | null> {
      const scope = await findCalendarScope(pool, token);
      if (!scope) return null;
      if (scope.kind === 'schedule' && !oncall.schedules[scope.schedule]) return null;
      const now = clock.now();
      const schedules = await effectiveSchedules(pool, oncall, now);
      const events =
        scope.kind === 'personal'
          ? personalEvents(schedules, { id: scope.ownerId, email: scope.ownerEmail }, now)
          : scheduleEvents(schedules[scope.schedule]!, now);
      return { scope, events, generatedAt: now };
    },
  };
}
