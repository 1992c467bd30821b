import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FEED_HORIZON_MS,
  type FeedEvent,
  feedHorizon,
  scheduleEvents,
} from '../../../src/escalation/calendar-feed.js';
import type { CalendarFeed } from '../../../src/escalation/calendar-service.js';
import type { Schedule } from '../../../src/escalation/oncall-config.js';
import { whoIsOnCall } from '../../../src/escalation/schedule.js';
import { renderIcs } from '../../../src/http/calendar-ics.js';
import { calendarOf } from '../../../src/http/calendar-route.js';
import { type ParsedEvent, parseIcs } from '../../helpers/ical.js';
import { at, schedule } from '../../helpers/schedule-fixture.js';

/**
 * Issue #14, item 3: a schedule's calendar feed, parsed back by ical.js as a calendar app would, says
 * exactly what the resolver that pages says: who is on call at every instant of the next 12 months.
 */

const DAY = 86_400_000;

// A year of shifts per run, each checked against the resolver: seconds per test on a loaded machine.

/** The feed of one schedule as a calendar app reads it; people shown as written (no Slack names). */
function feedAsParsed(s: Schedule, now: Date): ParsedEvent[] {
  const feed: CalendarFeed = {
    scope: { kind: 'schedule', ownerId: 'U0OWNER01', schedule: s.name },
    events: scheduleEvents(s, now),
    generatedAt: now,
  };
  return parseIcs(renderIcs(calendarOf(feed, {}))).events;
}

/** Who an event puts on call: its summary is `<schedule>: <person>[ (override)]`. */
const personOf = (event: ParsedEvent) => /^s: (\S+?)(?: \(override\))?$/.exec(event.summary)![1]!;

/** Who the parsed feed has on call at `t`: null in a gap. */
function feedAt(events: ParsedEvent[], t: number): string | null {
  const found = events.filter((e) => e.start.getTime() <= t && t < e.end.getTime());
  expect(found.length, `events overlapping at ${new Date(t).toISOString()}`).toBeLessThanOrEqual(1);
  return found[0] ? personOf(found[0]) : null;
}

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'America/Santiago',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Australia/Lord_Howe',
];
const PEOPLE = ['U0ANNA001', 'U0BERT001', 'U0CARL001', 'dana@acme.test'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const two = (n: number) => String(n).padStart(2, '0');
// Handoffs and windows at any quarter hour, 02:00–03:00 included (inside DST gaps and overlaps).
const wallTime = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${two(h)}:${two(m)}`);
const date2026 = fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * DAY));
const isoDate = date2026.map((d) => d.toISOString().slice(0, 10));

const layer = fc.record(
  {
    rotation: fc.record({
      length: fc.constantFrom('daily', '2 days', 'weekly', '2 weeks', '12 hours', '8 hours'),
      handoff: wallTime,
      start: isoDate,
    }),
    participants: fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 3 }),
    restrictions: fc.array(
      fc.record({
        days: fc.uniqueArray(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 7 }),
        from: wallTime,
        to: wallTime,
      }),
      { minLength: 1, maxLength: 2 },
    ),
  },
  { requiredKeys: ['rotation', 'participants'] },
);

const override = fc
  .tuple(fc.constantFrom(...PEOPLE), date2026, fc.integer({ min: 1, max: 14 * 24 }))
  .map(([user, from, hours]) => ({
    user,
    from: from.toISOString(),
    to: new Date(from.getTime() + hours * 3_600_000).toISOString(),
  }));

const definition = fc.record({
  timezone: fc.constantFrom(...ZONES),
  layers: fc.array(layer, { minLength: 1, maxLength: 3 }),
  overrides: fc.array(override, { maxLength: 3 }),
});

/** "Now": somewhere in 2026, so rotations start before or after it and the year ahead crosses DST twice. */
const now = date2026.chain((d) =>
  fc.integer({ min: 0, max: DAY - 1 }).map((ms) => new Date(d.getTime() + ms)),
);

describe('a schedule’s calendar feed, read back by ical.js', () => {
  it('has, at every instant of the next 12 months, whoever the resolver has on call (rotations, layers, restrictions, overrides, DST zones)', () => {
    const picks = fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
      minLength: 40,
      maxLength: 40,
    });
    fc.assert(
      fc.property(definition, now, picks, (def, from, random) => {
        const s = schedule(def);
        const events = feedAsParsed(s, from);
        const horizon = feedHorizon(from);
        // In order, each a real stretch of time, none overlapping the next.
        for (const [i, e] of events.entries()) {
          expect(e.end.getTime()).toBeGreaterThan(e.start.getTime());
          if (i > 0) expect(e.start.getTime()).toBeGreaterThanOrEqual(events[i - 1]!.end.getTime());
        }
        // Instants that matter: now, the edges of some events and just around them, and random ones
        // (the resolver is asked about each: every instant of every event would take minutes).
        const edges = random
          .slice(0, 20)
          .map((x) => events[Math.floor(x * events.length)])
          .flatMap((e) =>
            e ? [e.start.getTime() - 1, e.start.getTime(), e.end.getTime() - 1, e.end.getTime()] : [],
          );
        const instants = [
          from.getTime(),
          ...edges,
          ...random.map((x) => from.getTime() + Math.floor(x * FEED_HORIZON_MS)),
        ];
        for (const t of instants.filter((t) => t >= from.getTime() && t < horizon))
          expect(feedAt(events, t), new Date(t).toISOString()).toBe(
            whoIsOnCall(s, new Date(t))?.user ?? null,
          );
        // Nothing after the horizon; the last event reaches it when someone is on call then.
        const last = events.at(-1);
        if (last) expect(last.end.getTime()).toBeLessThanOrEqual(horizon);
        if (whoIsOnCall(s, new Date(horizon - 1))) expect(last?.end.getTime()).toBe(horizon);
      }),
      { numRuns: 20 },
    );
  }, 120_000);

  it('gives every event the same UID, start and end when generated again later', () => {
    fc.assert(
      fc.property(definition, now, fc.integer({ min: 1, max: 60 * 24 }), (def, first, laterHours) => {
        const s = schedule(def);
        const before = feedAsParsed(s, first);
        const later = new Date(first.getTime() + laterHours * 3_600_000);
        const after = feedAsParsed(schedule(def), later);
        const earlier = new Map(before.map((e) => [e.uid, e]));
        const firstHorizon = feedHorizon(first);
        for (const event of after) {
          // An event reaching the first copy's horizon was cut there; it grows, keeping its UID.
          if (event.end.getTime() >= firstHorizon || event.start < before[0]!.start) continue;
          const same = earlier.get(event.uid);
          expect(same, `${event.summary} ${event.start.toISOString()}`).toBeDefined();
          expect([same!.start, same!.end]).toEqual([event.start, event.end]);
        }
        expect(new Set(after.map((e) => e.uid)).size).toBe(after.length);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe('merging adjacent shifts of one person', () => {
  const shown = (events: FeedEvent[]) =>
    events.slice(0, 3).map((e) => [e.user, e.start.toISOString(), e.end.toISOString(), e.override]);

  it('keeps one event per turn of a one-person rotation, so an event never slides as time passes', () => {
    const solo = schedule({
      timezone: 'Europe/Berlin',
      rotation: { length: 'weekly', handoff: '09:00', start: '2026-03-16' },
      participants: ['U0ANNA001'],
    });
    expect(shown(scheduleEvents(solo, at('2026-03-25T12:00:00Z')))).toEqual([
      ['U0ANNA001', '2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z', false],
      ['U0ANNA001', '2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z', false],
      ['U0ANNA001', '2026-04-06T07:00:00.000Z', '2026-04-13T07:00:00.000Z', false],
    ]);
  });

  it('joins a person’s stretch across layers into one event, from where it began before now', () => {
    const twoLayers = schedule({
      timezone: 'UTC',
      layers: [
        {
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
          participants: ['U0ANNA001', 'U0BERT001'],
        },
        {
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
          participants: ['U0ANNA001'],
          restrictions: [{ days: ['wed'], from: '12:00', to: '14:00' }],
        },
      ],
    });
    // Anna's week (layer 1), with her Wednesday window from layer 2 inside it: one event, even asked
    // inside the window or after it.
    const anna = ['U0ANNA001', '2026-11-02T09:00:00.000Z', '2026-11-09T09:00:00.000Z', false];
    expect(shown(scheduleEvents(twoLayers, at('2026-11-04T13:00:00Z')))[0]).toEqual(anna);
    expect(shown(scheduleEvents(twoLayers, at('2026-11-06T13:00:00Z')))[0]).toEqual(anna);
    // Bob's week has Anna's window in the middle: Bob, Anna, Bob.
    expect(shown(scheduleEvents(twoLayers, at('2026-11-10T00:00:00Z')))).toEqual([
      ['U0BERT001', '2026-11-09T09:00:00.000Z', '2026-11-11T12:00:00.000Z', false],
      ['U0ANNA001', '2026-11-11T12:00:00.000Z', '2026-11-11T14:00:00.000Z', false],
      ['U0BERT001', '2026-11-11T14:00:00.000Z', '2026-11-16T09:00:00.000Z', false],
    ]);
  });

  it('keeps an override apart from the rota it meets, and marks it', () => {
    const covered = schedule({
      timezone: 'UTC',
      rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
      participants: ['U0ANNA001', 'U0BERT001'],
      overrides: [{ user: 'U0BERT001', from: '2026-11-08T09:00:00Z', to: '2026-11-09T09:00:00Z' }],
    });
    const events = scheduleEvents(covered, at('2026-11-03T00:00:00Z'));
    expect(shown(events)).toEqual([
      ['U0ANNA001', '2026-11-02T09:00:00.000Z', '2026-11-08T09:00:00.000Z', false],
      ['U0BERT001', '2026-11-08T09:00:00.000Z', '2026-11-09T09:00:00.000Z', true],
      ['U0BERT001', '2026-11-09T09:00:00.000Z', '2026-11-16T09:00:00.000Z', false],
    ]);
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
  });

  it('ends the feed a year ahead, cutting the event running then', () => {
    const solo = schedule({
      timezone: 'UTC',
      rotation: { length: '2 weeks', handoff: '09:00', start: '2026-01-05' },
      participants: ['U0ANNA001'],
    });
    const from = at('2026-12-02T10:00:00Z');
    const events = scheduleEvents(solo, from);
    expect(events.at(-1)!.end).toEqual(at('2027-12-02T10:00:00Z'));
    expect(events.at(-1)!.start.getTime()).toBeLessThan(from.getTime() + FEED_HORIZON_MS);
    expect(events).toHaveLength(27);
  });

  it('is empty for a schedule nobody is on before the horizon', () => {
    const later = schedule({
      timezone: 'UTC',
      rotation: { length: 'weekly', handoff: '09:00', start: '2028-01-03' },
      participants: ['U0ANNA001'],
    });
    expect(scheduleEvents(later, at('2026-12-02T10:00:00Z'))).toEqual([]);
  });
});
