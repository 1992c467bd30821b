import { describe, expect, it } from 'vitest';
import { personalEvents } from '../../../src/escalation/calendar-feed.js';
import type { CalendarFeed } from '../../../src/escalation/calendar-service.js';
import { renderIcs } from '../../../src/http/calendar-ics.js';
import { calendarOf } from '../../../src/http/calendar-route.js';
import { parseIcs } from '../../helpers/ical.js';
import { at, schedule } from '../../helpers/schedule-fixture.js';

/** Issue #14, item 3: the feed's text is RFC 5545 as calendar apps expect it. */

const LONG_NAME = `Zahlungsverkehr-Bereitschaft-${'überall-日本語-'.repeat(6)}primär`;
const generatedAt = at('2026-12-02T10:15:30Z');

function longFeed(): string {
  const feed: CalendarFeed = {
    scope: { kind: 'schedule', ownerId: 'U0OWNER01', schedule: LONG_NAME },
    generatedAt,
    events: [
      {
        uid: 'a1@incident-bot',
        schedule: LONG_NAME,
        user: 'U0ANNA001',
        start: at('2026-12-01T09:00:00Z'),
        end: at('2026-12-08T09:00:00Z'),
        override: false,
      },
      {
        uid: 'a2@incident-bot',
        schedule: LONG_NAME,
        user: 'dana@acme.test',
        start: at('2026-12-08T09:00:00Z'),
        end: at('2026-12-08T17:30:00Z'),
        override: true,
      },
    ],
  };
  return renderIcs(calendarOf(feed, { U0ANNA001: 'Anna; Müller, "the, pager"\\ 🚨' }));
}

describe('the calendar text', () => {
  it('ends every line with CRLF and folds lines longer than 75 octets, never inside a character', () => {
    const text = longFeed();
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n').slice(0, -1);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
    // The long name was folded (continuation lines start with a space)…
    expect(lines.filter((l) => l.startsWith(' ')).length).toBeGreaterThan(4);
    // …and every line is valid UTF-8 on its own: no character was cut in two.
    for (const line of lines) expect(Buffer.from(line, 'utf8').toString('utf8')).not.toContain('\uFFFD');
  });

  it('reads back, through ical.js, with the calendar’s properties and the names and texts whole', () => {
    const parsed = parseIcs(longFeed());
    expect(parsed.properties).toMatchObject({
      version: '2.0',
      prodid: '-//incident-bot//on-call calendar//EN',
      calscale: 'GREGORIAN',
      method: 'PUBLISH',
      'x-wr-calname': `On call: ${LONG_NAME}`,
    });
    expect(parsed.events).toEqual([
      {
        uid: 'a1@incident-bot',
        start: at('2026-12-01T09:00:00Z'),
        end: at('2026-12-08T09:00:00Z'),
        summary: `${LONG_NAME}: Anna; Müller, "the, pager"\\ 🚨`,
        description: `Anna; Müller, "the, pager"\\ 🚨 is on call for the ${LONG_NAME} schedule.`,
        stamp: generatedAt,
        transparency: 'TRANSPARENT',
      },
      {
        uid: 'a2@incident-bot',
        start: at('2026-12-08T09:00:00Z'),
        end: at('2026-12-08T17:30:00Z'),
        summary: `${LONG_NAME}: dana@acme.test (override)`,
        description: `dana@acme.test is on call for the ${LONG_NAME} schedule (override).`,
        stamp: generatedAt,
        transparency: 'TRANSPARENT',
      },
    ]);
  });

  it('writes times in UTC', () => {
    const text = longFeed();
    expect(text).toContain('\r\nDTSTART:20261201T090000Z\r\n');
    expect(text).toContain('\r\nDTEND:20261208T173000Z\r\n');
    expect(text).toContain('\r\nDTSTAMP:20261202T101530Z\r\n');
    expect(text).not.toContain('TZID');
  });

  it('shows a personal feed as the owner’s own shifts, on every schedule, without naming anyone', () => {
    const rota = (participants: string[]) =>
      schedule({
        timezone: 'Europe/Berlin',
        rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
        participants,
      });
    const schedules = {
      primary: { ...rota(['U0ANNA001', 'dana@acme.test']), name: 'primary' },
      secondary: { ...rota(['DANA@acme.test', 'U0ANNA001']), name: 'secondary' },
    };
    const now = at('2026-12-02T10:00:00Z');
    const dana = personalEvents(schedules, { id: 'U0DANA001', email: 'dana@acme.test' }, now);
    const parsed = parseIcs(
      renderIcs(
        calendarOf(
          {
            scope: { kind: 'personal', ownerId: 'U0DANA001', ownerEmail: 'dana@acme.test' },
            events: dana,
            generatedAt: now,
          },
          {},
        ),
      ),
    );
    expect(parsed.properties['x-wr-calname']).toBe('On call: my shifts');
    // Dana (named by email, in either case) takes every other week of each: the week on now is secondary's.
    expect(parsed.events.slice(0, 3).map((e) => [e.summary, e.start.toISOString()])).toEqual([
      ['On call: secondary', '2026-11-30T08:00:00.000Z'],
      ['On call: primary', '2026-12-07T08:00:00.000Z'],
      ['On call: secondary', '2026-12-14T08:00:00.000Z'],
    ]);
    expect(parsed.events.every((e) => e.description.startsWith('You are on call for the '))).toBe(true);
    expect(JSON.stringify(parsed)).not.toContain('U0ANNA001');
  });
});
