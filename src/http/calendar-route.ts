import type { CalendarFeed, CalendarService } from '../escalation/calendar-service.js';
import type { Logger } from '../logger.js';
import { withTimeout } from '../with-timeout.js';
import { type IcsCalendar, renderIcs } from './calendar-ics.js';
import { LINK_RESPONSE_HEADERS } from './routes.js';
import { type RouteHandler, sendText } from './server.js';

/** Where calendar feeds are served: `/oncall/calendar/<token>.ics`. */
export const CALENDAR_PATH_PREFIX = '/oncall/calendar/';

const FEED_PATH = /^\/oncall\/calendar\/([A-Za-z0-9_-]{43})\.ics$/;

/** How long a feed waits for display names from Slack before showing people as oncall.yaml writes them. */
const NAMES_WAIT_MS = 2000;

export function calendarFeedPath(token: string): string {
  return `${CALENDAR_PATH_PREFIX}${token}.ics`;
}

export interface CalendarRouteDeps {
  /** Null without an oncall.yaml: every token is then unknown. */
  calendar: CalendarService | null;
  /** Display names of people as oncall.yaml names them (Slack ids or emails). */
  displayNames(people: string[]): Promise<Record<string, string>>;
  logger: Logger;
}

/**
 * `GET /oncall/calendar/<token>.ics`, served as an inbound route of the Slack port (http/server.ts:
 * counted and logged by its prefix, never by its path). A token never issued, a revoked one and
 * anything else under the prefix get the same 404 as any unknown path.
 */
export function calendarFeedRoute(deps: CalendarRouteDeps): RouteHandler {
  return async (req, res) => {
    for (const [name, value] of Object.entries(LINK_RESPONSE_HEADERS)) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Answered before the token is looked at: a method tells nothing about a link.
      res.setHeader('allow', 'GET, HEAD');
      return sendText(res, 405, 'calendar feeds are read with GET\n');
    }
    const match = FEED_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    const feed = match && deps.calendar ? await deps.calendar.feed(match[1]!) : null;
    if (!feed) return sendText(res, 404, 'not found\n');
    const names = await namesOf(deps, feed);
    res.setHeader('content-disposition', 'inline; filename="oncall.ics"');
    sendText(res, 200, renderIcs(calendarOf(feed, names)), 'text/calendar; charset=utf-8');
  };
}

async function namesOf(deps: CalendarRouteDeps, feed: CalendarFeed): Promise<Record<string, string>> {
  // A personal feed shows only its owner's shifts: no names needed.
  if (feed.scope.kind === 'personal') return {};
  const people = [...new Set(feed.events.map((e) => e.user))];
  try {
    return await withTimeout(deps.displayNames(people), NAMES_WAIT_MS);
  } catch (error) {
    deps.logger.warn({ err: error }, 'calendar feed: Slack names unavailable; showing people as written');
    return {};
  }
}

/** The feed as calendar text: what each event is called, and the calendar's own name. */
export function calendarOf(feed: CalendarFeed, names: Record<string, string>): IcsCalendar {
  const { scope } = feed;
  const personal = scope.kind === 'personal';
  return {
    name: scope.kind === 'personal' ? 'On call: my shifts' : `On call: ${scope.schedule}`,
    generatedAt: feed.generatedAt,
    events: feed.events.map((event) => {
      const how = event.override ? ' (override)' : '';
      const who = names[event.user] ?? event.user;
      return {
        uid: event.uid,
        start: event.start,
        end: event.end,
        summary: personal ? `On call: ${event.schedule}${how}` : `${event.schedule}: ${who}${how}`,
        description: personal
          ? `You are on call for the ${event.schedule} schedule${how}.`
          : `${who} is on call for the ${event.schedule} schedule${how}.`,
      };
    }),
  };
}
