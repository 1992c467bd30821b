import { describe, expect, it } from 'vitest';
import { nextShifts, type OnCallShift, whoIsOnCall } from '../../../src/escalation/schedule.js';
import { at, schedule } from '../../helpers/schedule-fixture.js';

function rotation(zone: string, length: string, handoff: string, start: string, participants: string[]) {
  return schedule({ timezone: zone, rotation: { length, handoff, start }, participants });
}

const hours = (shift: OnCallShift) => (shift.end.getTime() - shift.start.getTime()) / 3_600_000;

function summary(shift: OnCallShift | null) {
  return shift && { user: shift.user, start: shift.start.toISOString(), end: shift.end.toISOString() };
}

const team = ['ann@acme.test', 'ben@acme.test', 'cat@acme.test'];

describe('daily rotation across DST in America/New_York', () => {
  const daily = rotation('America/New_York', 'daily', '09:00', '2026-03-01', team);

  it('hands off at 09:00 local on both sides of spring forward (2026-03-08): a 23 hour shift', () => {
    // 08:00 EDT on the 8th: the shift began at 09:00 EST on the 7th.
    const shift = whoIsOnCall(daily, at('2026-03-08T12:00:00Z'))!;
    expect(summary(shift)).toEqual({
      user: 'ann@acme.test', // day 6 since the start: 6 mod 3 = 0
      start: '2026-03-07T14:00:00.000Z',
      end: '2026-03-08T13:00:00.000Z',
    });
    expect(hours(shift)).toBe(23);
  });

  it('starts the next turn exactly at the handoff instant', () => {
    expect(summary(whoIsOnCall(daily, at('2026-03-08T12:59:59.999Z')))?.user).toBe('ann@acme.test');
    expect(summary(whoIsOnCall(daily, at('2026-03-08T13:00:00Z')))).toEqual({
      user: 'ben@acme.test',
      start: '2026-03-08T13:00:00.000Z',
      end: '2026-03-09T13:00:00.000Z',
    });
  });

  it('hands off at 09:00 local on both sides of fall back (2026-11-01): a 25 hour shift', () => {
    const shift = whoIsOnCall(daily, at('2026-11-01T12:00:00Z'))!;
    expect(shift.start.toISOString()).toBe('2026-10-31T13:00:00.000Z'); // 09:00 EDT
    expect(shift.end.toISOString()).toBe('2026-11-01T14:00:00.000Z'); // 09:00 EST
    expect(hours(shift)).toBe(25);
  });

  it('lists the handoffs to come, each at 09:00 local', () => {
    const shifts = nextShifts(daily, at('2026-03-06T15:00:00Z'), 4);
    expect(shifts.map(summary)).toEqual([
      { user: 'ann@acme.test', start: '2026-03-07T14:00:00.000Z', end: '2026-03-08T13:00:00.000Z' },
      { user: 'ben@acme.test', start: '2026-03-08T13:00:00.000Z', end: '2026-03-09T13:00:00.000Z' },
      { user: 'cat@acme.test', start: '2026-03-09T13:00:00.000Z', end: '2026-03-10T13:00:00.000Z' },
      { user: 'ann@acme.test', start: '2026-03-10T13:00:00.000Z', end: '2026-03-11T13:00:00.000Z' },
    ]);
  });
});

describe('handoff times that DST makes missing or double', () => {
  it('moves a 02:30 handoff inside the spring-forward gap to 03:00 EDT, the first instant after it', () => {
    const daily = rotation('America/New_York', 'daily', '02:30', '2026-03-01', team);
    const before = whoIsOnCall(daily, at('2026-03-08T06:59:00Z'))!; // 01:59 EST
    expect(summary(before)).toEqual({
      user: 'ann@acme.test',
      start: '2026-03-07T07:30:00.000Z', // 02:30 EST
      end: '2026-03-08T07:00:00.000Z', // 03:00 EDT: the gap is 02:00–03:00
    });
    const after = whoIsOnCall(daily, at('2026-03-08T07:00:00Z'))!;
    expect(summary(after)).toEqual({
      user: 'ben@acme.test',
      start: '2026-03-08T07:00:00.000Z',
      end: '2026-03-09T06:30:00.000Z', // back to 02:30, now EDT
    });
  });

  it('starts a rotation whose first handoff falls in the gap at the end of the gap', () => {
    const daily = rotation('America/New_York', 'daily', '02:30', '2026-03-08', team);
    expect(whoIsOnCall(daily, at('2026-03-08T06:59:59Z'))).toBeNull();
    expect(whoIsOnCall(daily, at('2026-03-08T07:00:00Z'))?.user).toBe('ann@acme.test');
  });

  it('hands off at the first 01:30 in the fall-back overlap (01:30 EDT), not the second (01:30 EST)', () => {
    const daily = rotation('America/New_York', 'daily', '01:30', '2026-10-25', team);
    const overlapDay = whoIsOnCall(daily, at('2026-11-01T05:30:00Z'))!; // 01:30 EDT
    expect(overlapDay.start.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(overlapDay.end.toISOString()).toBe('2026-11-02T06:30:00.000Z'); // 01:30 EST
    expect(hours(overlapDay)).toBe(25);
    // At the second 01:45 (EST) the same person is on call: no second handoff.
    expect(whoIsOnCall(daily, at('2026-11-01T06:45:00Z'))).toEqual(overlapDay);
    expect(whoIsOnCall(daily, at('2026-11-01T05:29:00Z'))?.start.toISOString()).toBe(
      '2026-10-31T05:30:00.000Z',
    );
  });
});

describe('other zones', () => {
  it('Australia/Lord_Howe: a 30-minute DST change makes 23.5 and 24.5 hour daily shifts', () => {
    const daily = rotation('Australia/Lord_Howe', 'daily', '09:00', '2026-01-01', team);
    const spring = whoIsOnCall(daily, at('2026-10-03T12:00:00Z'))!;
    expect(spring.start.toISOString()).toBe('2026-10-02T22:30:00.000Z'); // 09:00 +10:30
    expect(spring.end.toISOString()).toBe('2026-10-03T22:00:00.000Z'); // 09:00 +11:00
    expect(hours(spring)).toBe(23.5);
    const autumn = whoIsOnCall(daily, at('2026-04-04T12:00:00Z'))!;
    expect(autumn.start.toISOString()).toBe('2026-04-03T22:00:00.000Z'); // 09:00 +11:00
    expect(autumn.end.toISOString()).toBe('2026-04-04T22:30:00.000Z'); // 09:00 +10:30
    expect(hours(autumn)).toBe(24.5);
  });

  it('Australia/Lord_Howe: a 02:15 handoff in the half-hour gap happens at 02:30 daylight time', () => {
    const daily = rotation('Australia/Lord_Howe', 'daily', '02:15', '2026-01-01', team);
    const shift = whoIsOnCall(daily, at('2026-10-03T15:30:00Z'))!;
    expect(shift.start.toISOString()).toBe('2026-10-03T15:30:00.000Z'); // 02:30 +11:00
    expect(shift.end.toISOString()).toBe('2026-10-04T15:15:00.000Z'); // 02:15 +11:00
  });

  it('Asia/Kolkata (+05:30, no DST): every handoff at 03:30 UTC, every shift 24 hours', () => {
    const daily = rotation('Asia/Kolkata', 'daily', '09:00', '2026-03-01', team);
    const shifts = nextShifts(daily, at('2026-03-06T00:00:00Z'), 5);
    expect(shifts.map((shift) => shift.start.toISOString().slice(11))).toEqual(
      Array(5).fill('03:30:00.000Z'),
    );
    expect(shifts.map(hours)).toEqual([24, 24, 24, 24, 24]);
    expect(shifts.map((shift) => shift.start.toISOString().slice(0, 10))).toEqual([
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
      '2026-03-10',
    ]);
  });

  it('Europe/London: a weekly Monday 09:00 handoff gives 167 and 169 hour weeks around the clock changes', () => {
    const weekly = rotation('Europe/London', 'weekly', '09:00', '2026-03-02', team);
    const march = whoIsOnCall(weekly, at('2026-03-29T12:00:00Z'))!; // clocks go forward on the 29th
    expect(summary(march)).toEqual({
      user: 'ann@acme.test', // the fourth week since 2 March: turn 3, 3 mod 3 = 0
      start: '2026-03-23T09:00:00.000Z', // 09:00 GMT
      end: '2026-03-30T08:00:00.000Z', // 09:00 BST
    });
    expect(hours(march)).toBe(167);
    const october = whoIsOnCall(weekly, at('2026-10-25T12:00:00Z'))!; // clocks go back on the 25th
    expect(october.start.toISOString()).toBe('2026-10-19T08:00:00.000Z');
    expect(october.end.toISOString()).toBe('2026-10-26T09:00:00.000Z');
    expect(hours(october)).toBe(169);
  });
});

describe('rotation lengths', () => {
  it('a weekly rotation of four goes round in order, a week each, handing off Monday 09:00', () => {
    const four = ['alice@acme.test', 'bob@acme.test', 'carol@acme.test', 'dave@acme.test'];
    const weekly = rotation('America/New_York', 'weekly', '09:00', '2026-11-02', four);
    expect(whoIsOnCall(weekly, at('2026-11-21T21:00:00Z'))?.user).toBe('carol@acme.test');
    const shifts = nextShifts(weekly, at('2026-11-21T21:00:00Z'), 5);
    expect(shifts.map((shift) => shift.user)).toEqual([
      'dave@acme.test',
      'alice@acme.test',
      'bob@acme.test',
      'carol@acme.test',
      'dave@acme.test',
    ]);
    expect(shifts.map((shift) => shift.start.toISOString())).toEqual([
      '2026-11-23T14:00:00.000Z',
      '2026-11-30T14:00:00.000Z',
      '2026-12-07T14:00:00.000Z',
      '2026-12-14T14:00:00.000Z',
      '2026-12-21T14:00:00.000Z',
    ]);
    expect(shifts.map(hours)).toEqual([168, 168, 168, 168, 168]);
  });

  it('nobody is on call before the first handoff', () => {
    const weekly = rotation('America/New_York', 'weekly', '09:00', '2026-11-02', team);
    expect(whoIsOnCall(weekly, at('2026-11-02T13:59:59Z'))).toBeNull();
    expect(nextShifts(weekly, at('2026-10-01T00:00:00Z'), 1)[0]?.start.toISOString()).toBe(
      '2026-11-02T14:00:00.000Z',
    );
  });

  it('a 12-hour rotation is absolute time: 12 hours each even across DST, so its local handoff moves', () => {
    const twelve = rotation('America/New_York', '12 hours', '08:00', '2026-03-07', [
      'day@acme.test',
      'night@acme.test',
    ]);
    const shifts = nextShifts(twelve, at('2026-03-07T12:00:00Z'), 4);
    expect(shifts.map(summary)).toEqual([
      { user: 'day@acme.test', start: '2026-03-07T13:00:00.000Z', end: '2026-03-08T01:00:00.000Z' },
      { user: 'night@acme.test', start: '2026-03-08T01:00:00.000Z', end: '2026-03-08T13:00:00.000Z' },
      { user: 'day@acme.test', start: '2026-03-08T13:00:00.000Z', end: '2026-03-09T01:00:00.000Z' },
      { user: 'night@acme.test', start: '2026-03-09T01:00:00.000Z', end: '2026-03-09T13:00:00.000Z' },
    ]);
  });

  it('a 3-day rotation steps calendar days, keeping 09:00 local', () => {
    const threeDays = rotation('America/New_York', '3 days', '09:00', '2026-03-05', team);
    const shift = whoIsOnCall(threeDays, at('2026-03-07T00:00:00Z'))!;
    expect(summary(shift)).toEqual({
      user: 'ann@acme.test',
      start: '2026-03-05T14:00:00.000Z',
      end: '2026-03-08T13:00:00.000Z',
    });
    expect(hours(shift)).toBe(71);
  });

  it('resolves a date centuries ahead by jumping, not walking every shift', () => {
    const seven = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((name) => `${name}@acme.test`);
    const daily = rotation('America/New_York', 'daily', '09:00', '2026-03-01', seven);
    const target = at('2426-07-04T16:00:00Z'); // 12:00 EDT, after that day's handoff
    const days = (Date.UTC(2426, 6, 4) - Date.UTC(2026, 2, 1)) / 86_400_000;
    const started = performance.now();
    let shift: OnCallShift | null = null;
    for (let i = 0; i < 100; i++) shift = whoIsOnCall(daily, target);
    const elapsed = performance.now() - started;
    expect(summary(shift)).toEqual({
      user: seven[days % 7],
      start: '2426-07-04T13:00:00.000Z',
      end: '2426-07-05T13:00:00.000Z',
    });
    expect(elapsed).toBeLessThan(1_000); // walking 146,000 daily handoffs 100 times would take minutes
  });
});

describe('layers, restrictions and overrides', () => {
  it('a later layer wins where it has someone; the earlier layer covers the rest', () => {
    const layered = schedule({
      timezone: 'America/New_York',
      layers: [
        {
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
          participants: ['base@acme.test'],
        },
        {
          name: 'business hours',
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
          participants: ['office@acme.test'],
          restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
        },
      ],
    });
    const wednesdayNoon = whoIsOnCall(layered, at('2026-11-18T17:00:00Z'))!;
    expect(summary(wednesdayNoon)).toEqual({
      user: 'office@acme.test',
      start: '2026-11-18T14:00:00.000Z',
      end: '2026-11-18T22:00:00.000Z',
    });
    expect(wednesdayNoon.source).toEqual({ kind: 'layer', layer: 1, layerName: 'business hours', turn: 2 });
    // Evening: the base layer, from the office layer's 17:00 until its 09:00 the next morning.
    expect(summary(whoIsOnCall(layered, at('2026-11-19T01:00:00Z')))).toEqual({
      user: 'base@acme.test',
      start: '2026-11-18T22:00:00.000Z',
      end: '2026-11-19T14:00:00.000Z',
    });
    // Saturday: the office layer has nobody, so the base layer holds the whole weekend.
    expect(summary(whoIsOnCall(layered, at('2026-11-21T17:00:00Z')))).toEqual({
      user: 'base@acme.test',
      start: '2026-11-20T22:00:00.000Z',
      end: '2026-11-23T14:00:00.000Z',
    });
  });

  it('two unrestricted layers: the later one always wins', () => {
    const layered = schedule({
      timezone: 'UTC',
      layers: [
        { rotation: { length: 'daily', handoff: '00:00', start: '2026-01-01' }, participants: ['U0LOWER01'] },
        { rotation: { length: 'daily', handoff: '12:00', start: '2026-01-01' }, participants: ['U0UPPER01'] },
      ],
    });
    for (const iso of ['2026-06-01T06:00:00Z', '2026-06-01T13:00:00Z', '2026-06-02T23:00:00Z']) {
      expect(whoIsOnCall(layered, at(iso))?.user).toBe('U0UPPER01');
    }
    // Before the upper layer's first handoff (12:00 on 1 Jan), the lower one is on call.
    expect(whoIsOnCall(layered, at('2026-01-01T06:00:00Z'))?.user).toBe('U0LOWER01');
  });

  it('a restriction that wraps midnight belongs to the day it starts on', () => {
    const fridayNights = schedule({
      timezone: 'Europe/London',
      rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
      participants: ['owl@acme.test'],
      restrictions: [{ days: ['fri'], from: '22:00', to: '06:00' }],
    });
    const friday = whoIsOnCall(fridayNights, at('2026-11-20T23:00:00Z'))!;
    expect(summary(friday)).toEqual({
      user: 'owl@acme.test',
      start: '2026-11-20T22:00:00.000Z',
      end: '2026-11-21T06:00:00.000Z', // Saturday 06:00
    });
    expect(whoIsOnCall(fridayNights, at('2026-11-21T05:59:00Z'))?.user).toBe('owl@acme.test');
    expect(whoIsOnCall(fridayNights, at('2026-11-21T06:00:00Z'))).toBeNull();
    expect(whoIsOnCall(fridayNights, at('2026-11-21T23:00:00Z'))).toBeNull(); // Saturday night
    expect(whoIsOnCall(fridayNights, at('2026-11-19T23:00:00Z'))).toBeNull(); // Thursday night
    // Asked on Saturday morning, the next shift is the following Friday night.
    expect(summary(nextShifts(fridayNights, at('2026-11-21T12:00:00Z'), 1)[0] ?? null)).toEqual({
      user: 'owl@acme.test',
      start: '2026-11-27T22:00:00.000Z',
      end: '2026-11-28T06:00:00.000Z',
    });
  });

  it('a night layer that wraps midnight beats the day layer only at night', () => {
    const nights = schedule({
      timezone: 'Asia/Kolkata',
      layers: [
        {
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
          participants: ['day@acme.test'],
        },
        {
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
          participants: ['night@acme.test'],
          restrictions: [{ from: '22:00', to: '06:00' }],
        },
      ],
    });
    const shifts = nextShifts(nights, at('2026-11-18T06:30:00Z'), 3); // Wednesday 12:00 IST
    expect(shifts.map(summary)).toEqual([
      { user: 'night@acme.test', start: '2026-11-18T16:30:00.000Z', end: '2026-11-19T00:30:00.000Z' },
      { user: 'day@acme.test', start: '2026-11-19T00:30:00.000Z', end: '2026-11-19T16:30:00.000Z' },
      { user: 'night@acme.test', start: '2026-11-19T16:30:00.000Z', end: '2026-11-20T00:30:00.000Z' },
    ]);
  });

  it('a restriction window follows local wall time across DST', () => {
    const restricted = schedule({
      timezone: 'America/New_York',
      rotation: { length: 'weekly', handoff: '09:00', start: '2026-03-02' },
      participants: ['ann@acme.test'],
      restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
    });
    expect(summary(whoIsOnCall(restricted, at('2026-03-06T15:00:00Z')))?.end).toBe(
      '2026-03-06T22:00:00.000Z',
    ); // 17:00 EST
    expect(summary(whoIsOnCall(restricted, at('2026-03-09T15:00:00Z')))?.end).toBe(
      '2026-03-09T21:00:00.000Z',
    ); // 17:00 EDT
  });

  it('overrides beat every layer, and a later override beats an earlier one', () => {
    const covered = schedule({
      timezone: 'America/New_York',
      layers: [
        {
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
          participants: ['base@acme.test'],
        },
        {
          rotation: { length: 'daily', handoff: '09:00', start: '2026-11-02' },
          participants: ['top@acme.test'],
        },
      ],
      overrides: [
        { user: 'swap@acme.test', from: '2026-11-21T09:00:00-05:00', to: '2026-11-21T17:00' },
        { user: 'late@acme.test', from: '2026-11-21T20:00:00Z', to: '2026-11-21T21:00:00Z' },
      ],
    });
    const during = whoIsOnCall(covered, at('2026-11-21T15:00:00Z'))!;
    expect(summary(during)).toEqual({
      user: 'swap@acme.test',
      start: '2026-11-21T14:00:00.000Z',
      end: '2026-11-21T20:00:00.000Z', // the later override takes over at 15:00 local
    });
    expect(during.source).toEqual({ kind: 'override', override: 0 });
    expect(summary(whoIsOnCall(covered, at('2026-11-21T20:30:00Z')))?.user).toBe('late@acme.test');
    // The first override resumes after the second, until its own end at 17:00 local.
    expect(summary(whoIsOnCall(covered, at('2026-11-21T21:30:00Z')))).toEqual({
      user: 'swap@acme.test',
      start: '2026-11-21T21:00:00.000Z',
      end: '2026-11-21T22:00:00.000Z',
    });
    // Outside the overrides the top layer is on call, its shift cut short where the override starts.
    expect(summary(whoIsOnCall(covered, at('2026-11-21T13:00:00Z')))).toEqual({
      user: 'top@acme.test',
      start: '2026-11-20T14:00:00.000Z',
      end: '2026-11-21T14:00:00.000Z',
    });
    expect(summary(whoIsOnCall(covered, at('2026-11-21T23:00:00Z')))).toEqual({
      user: 'top@acme.test',
      start: '2026-11-21T22:00:00.000Z',
      end: '2026-11-22T14:00:00.000Z',
    });
  });

  it('an override fills a gap where no layer has anyone', () => {
    const weekdays = schedule({
      timezone: 'UTC',
      rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
      participants: ['U0WEEKDAY1'],
      restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
      overrides: [{ user: 'U0WEEKEND1', from: '2026-11-21T10:00:00Z', to: '2026-11-21T12:00:00Z' }],
    });
    expect(whoIsOnCall(weekdays, at('2026-11-21T09:00:00Z'))).toBeNull();
    expect(summary(whoIsOnCall(weekdays, at('2026-11-21T11:00:00Z')))?.user).toBe('U0WEEKEND1');
    expect(nextShifts(weekdays, at('2026-11-20T18:00:00Z'), 2).map(summary)).toEqual([
      { user: 'U0WEEKEND1', start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T12:00:00.000Z' },
      { user: 'U0WEEKDAY1', start: '2026-11-23T09:00:00.000Z', end: '2026-11-23T17:00:00.000Z' },
    ]);
  });
});

describe('consistency over many instants', () => {
  // A small deterministic generator, so a failure names an instant that can be replayed.
  function random(seed: number) {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
  }
  const key = (shift: OnCallShift | null) =>
    shift === null ? 'nobody' : `${shift.user} ${JSON.stringify(shift.source)}`;

  it('agrees with walking every handoff one by one, in zones with and without DST', async () => {
    const { DateTime } = await import('luxon');
    const next = random(7);
    for (const zone of [
      'America/New_York',
      'Europe/London',
      'Australia/Sydney',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
    ]) {
      for (const [length, periodDays] of [
        ['daily', 1],
        ['weekly', 7],
        ['3 days', 3],
      ] as const) {
        // Handoffs from 04:00 on, where no zone here has a DST transition, so luxon alone is the reference.
        const handoff = `${String(4 + Math.floor(next() * 20)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}`;
        const layer = rotation(zone, length, handoff, '2026-01-05', team);
        const [hour, minute] = handoff.split(':').map(Number);
        const handoffAt = (k: number) =>
          DateTime.fromObject({ year: 2026, month: 1, day: 5, hour, minute }, { zone })
            .plus({ days: k * periodDays })
            .toMillis();
        for (let trial = 0; trial < 12; trial++) {
          const t = handoffAt(0) + Math.floor(next() * 2 * 365 * 86_400_000);
          let k = 0;
          while (handoffAt(k + 1) <= t) k++;
          const shift = whoIsOnCall(layer, new Date(t));
          expect(summary(shift), `${zone} ${length} ${handoff} at ${new Date(t).toISOString()}`).toEqual({
            user: team[k % 3],
            start: new Date(handoffAt(k)).toISOString(),
            end: new Date(handoffAt(k + 1)).toISOString(),
          });
        }
      }
    }
  });

  it('every shift is exactly the stretch around its instant with that person from that source', () => {
    const busy = schedule({
      timezone: 'America/New_York',
      layers: [
        { rotation: { length: 'weekly', handoff: '09:00', start: '2026-02-02' }, participants: team },
        {
          rotation: { length: 'daily', handoff: '02:30', start: '2026-02-02' },
          participants: ['n1@acme.test', 'n2@acme.test'],
          restrictions: [{ days: ['fri', 'sat', 'sun'], from: '22:00', to: '06:00' }],
        },
        {
          rotation: { length: '12 hours', handoff: '08:00', start: '2026-02-02' },
          participants: ['o1@acme.test', 'o2@acme.test'],
          restrictions: [
            { days: ['mon', 'wed'], from: '09:00', to: '17:00' },
            { days: ['wed'], from: '16:00', to: '19:00' },
          ],
        },
      ],
      overrides: [
        { user: 'x1@acme.test', from: '2026-03-08T01:00', to: '2026-03-08T05:00' },
        { user: 'x2@acme.test', from: '2026-11-01T00:30', to: '2026-11-01T01:45' },
      ],
    });
    const next = random(11);
    const instants = [
      ...Array.from({ length: 300 }, () => Date.UTC(2026, 1, 1) + Math.floor(next() * 330 * 86_400_000)),
      Date.UTC(2026, 2, 8, 7, 0),
      Date.UTC(2026, 10, 1, 5, 30),
      Date.UTC(2026, 10, 1, 6, 30),
    ];
    for (const t of instants) {
      const shift = whoIsOnCall(busy, new Date(t));
      expect(shift, new Date(t).toISOString()).not.toBeNull(); // the first layer always has someone
      const { start, end } = { start: shift!.start.getTime(), end: shift!.end.getTime() };
      const label = `${new Date(t).toISOString()} in ${start}-${end}`;
      expect(start <= t && t < end, label).toBe(true);
      expect(key(whoIsOnCall(busy, new Date(start))), label).toBe(key(shift));
      expect(key(whoIsOnCall(busy, new Date(end - 1))), label).toBe(key(shift));
      expect(key(whoIsOnCall(busy, new Date(start - 1))), label).not.toBe(key(shift));
      expect(key(whoIsOnCall(busy, new Date(end))), label).not.toBe(key(shift));
    }
  });

  it('the upcoming shifts follow one another without gaps when a layer always has someone', () => {
    const weekly = rotation('Europe/London', 'weekly', '09:00', '2026-01-05', team);
    const shifts = nextShifts(weekly, at('2026-01-10T00:00:00Z'), 60);
    expect(shifts).toHaveLength(60);
    for (let i = 1; i < shifts.length; i++) expect(shifts[i]!.start).toEqual(shifts[i - 1]!.end);
  });
});
