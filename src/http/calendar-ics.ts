import ical, { ICalCalendarMethod, ICalEventTransparency } from 'ical-generator';

/**
 * RFC 5545 text of a calendar feed, written by ical-generator: UTC times, text escaped, lines folded at
 * 75 octets (never inside a UTF-8 character), CRLF line ends.
 */

export interface IcsEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description: string;
}

export interface IcsCalendar {
  /** X-WR-CALNAME (and NAME): what calendar apps call the subscription. */
  name: string;
  /** DTSTAMP of every event: when this copy was generated. */
  generatedAt: Date;
  events: IcsEvent[];
}

/** Calendar apps poll a subscribed feed; this asks for once an hour (X-PUBLISHED-TTL, REFRESH-INTERVAL). */
const REFRESH_SECONDS = 3600;

export function renderIcs(calendar: IcsCalendar): string {
  const feed = ical({
    name: calendar.name,
    prodId: { company: 'incident-bot', product: 'on-call calendar', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    scale: 'gregorian',
    ttl: REFRESH_SECONDS,
  });
  for (const event of calendar.events) {
    feed.createEvent({
      id: event.uid,
      start: event.start,
      end: event.end,
      stamp: calendar.generatedAt,
      summary: event.summary,
      description: event.description,
      // Being on call does not make a person busy: the shift must not block their free/busy time.
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  // Every content line ends with CRLF (RFC 5545 §3.1), the last one too.
  return `${feed.toString()}\r\n`;
}
