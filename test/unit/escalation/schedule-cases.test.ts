import { describe, expect, it } from 'vitest';
import { nextShifts, whoIsOnCall } from '../../../src/escalation/schedule.js';
import { at, schedule, summary } from '../../helpers/schedule-fixture.js';

describe('a rotation of "2 weeks"', () => {
  const fortnightly = schedule({
    timezone: 'Europe/Berlin',
    rotation: { length: '2 weeks', handoff: '10:00', start: '2026-03-16' },
    participants: ['U0ANNA001', 'U0BERT001', 'U0CARL001'],
  });

  it('hands over every 14 days at 10:00 local, across the DST change of 29 March', () => {
    expect(summary(whoIsOnCall(fortnightly, at('2026-03-29T12:00:00Z')))).toEqual({
      user: 'U0ANNA001',
      start: '2026-03-16T09:00:00.000Z', // 10:00 CET
      end: '2026-03-30T08:00:00.000Z', // 10:00 CEST: a turn one hour short of 14 days
    });
    expect(nextShifts(fortnightly, at('2026-03-20T00:00:00Z'), 3).map(summary)).toEqual([
      { user: 'U0BERT001', start: '2026-03-30T08:00:00.000Z', end: '2026-04-13T08:00:00.000Z' },
      { user: 'U0CARL001', start: '2026-04-13T08:00:00.000Z', end: '2026-04-27T08:00:00.000Z' },
      { user: 'U0ANNA001', start: '2026-04-27T08:00:00.000Z', end: '2026-05-11T08:00:00.000Z' },
    ]);
  });

  it('has nobody before its first handoff', () => {
    expect(whoIsOnCall(fortnightly, at('2026-03-16T08:59:59Z'))).toBeNull();
    expect(whoIsOnCall(fortnightly, at('2026-03-16T09:00:00Z'))?.user).toBe('U0ANNA001');
  });

  it('counts turns from the start a year later', () => {
    // 365 days after the start: turn 26, which began on 15 March (26 mod 3 = 2).
    expect(whoIsOnCall(fortnightly, at('2027-03-16T12:00:00Z'))?.user).toBe('U0CARL001');
    expect(whoIsOnCall(fortnightly, at('2027-03-16T12:00:00Z'))?.source).toEqual({
      kind: 'layer',
      layer: 0,
      layerName: 'layer 1',
      turn: 26,
    });
  });
});

describe('restrictions on the minute', () => {
  const officeHours = schedule({
    timezone: 'Asia/Kolkata',
    rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
    participants: ['U0OFFICE1'],
    restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:30', to: '17:00' }],
  });

  it('cover 09:30–17:00 local, not 09:00 or 17:30', () => {
    expect(whoIsOnCall(officeHours, at('2026-11-18T03:59:59Z'))).toBeNull(); // 09:29:59 IST
    expect(summary(whoIsOnCall(officeHours, at('2026-11-18T04:00:00Z')))).toEqual({
      user: 'U0OFFICE1',
      start: '2026-11-18T04:00:00.000Z', // 09:30 IST
      end: '2026-11-18T11:30:00.000Z', // 17:00 IST
    });
    expect(whoIsOnCall(officeHours, at('2026-11-18T11:30:00Z'))).toBeNull();
    expect(nextShifts(officeHours, at('2026-11-20T12:00:00Z'), 1).map(summary)).toEqual([
      { user: 'U0OFFICE1', start: '2026-11-23T04:00:00.000Z', end: '2026-11-23T11:30:00.000Z' }, // Monday
    ]);
  });
});

describe('restriction windows that chain over several days', () => {
  it('make one run from Monday 00:00 to Friday 00:00, split only by handoffs', () => {
    const weekdays = schedule({
      timezone: 'UTC',
      rotation: { length: 'weekly', handoff: '12:00', start: '2026-11-04' },
      participants: ['U0FIRST01', 'U0SECOND1'],
      restrictions: [{ days: ['mon', 'tue', 'wed', 'thu'], from: '00:00', to: '00:00' }],
    });
    expect(summary(whoIsOnCall(weekdays, at('2026-11-17T12:00:00Z')))).toEqual({
      user: 'U0SECOND1',
      start: '2026-11-16T00:00:00.000Z',
      end: '2026-11-18T12:00:00.000Z', // Wednesday's handoff
    });
    expect(summary(whoIsOnCall(weekdays, at('2026-11-19T23:59:00Z')))).toEqual({
      user: 'U0FIRST01',
      start: '2026-11-18T12:00:00.000Z',
      end: '2026-11-20T00:00:00.000Z',
    });
    expect(whoIsOnCall(weekdays, at('2026-11-20T00:00:00Z'))).toBeNull();
    expect(whoIsOnCall(weekdays, at('2026-11-15T23:59:59Z'))).toBeNull();
  });

  it('follow local midnight across a DST weekend', () => {
    const weekends = schedule({
      timezone: 'America/New_York',
      rotation: { length: 'weekly', handoff: '09:00', start: '2026-03-02' },
      participants: ['U0WEEKEND'],
      restrictions: [{ days: ['fri', 'sat', 'sun'], from: '00:00', to: '00:00' }],
    });
    expect(summary(whoIsOnCall(weekends, at('2026-03-07T12:00:00Z')))).toEqual({
      user: 'U0WEEKEND',
      start: '2026-03-06T05:00:00.000Z', // Friday 00:00 EST
      end: '2026-03-09T04:00:00.000Z', // Monday 00:00 EDT
    });
  });

  it('that cover the whole week leave only the handoffs', () => {
    const always = schedule({
      timezone: 'Pacific/Chatham',
      rotation: { length: 'daily', handoff: '08:00', start: '2026-11-02' },
      participants: ['U0DAY0001', 'U0DAY0002'],
      restrictions: [{ from: '08:00', to: '08:00' }],
    });
    const unrestricted = schedule({
      timezone: 'Pacific/Chatham',
      rotation: { length: 'daily', handoff: '08:00', start: '2026-11-02' },
      participants: ['U0DAY0001', 'U0DAY0002'],
    });
    for (const iso of ['2026-11-10T00:00:00Z', '2026-12-24T13:00:00Z', '2027-04-04T13:00:00Z']) {
      expect(summary(whoIsOnCall(always, at(iso))), iso).toEqual(summary(whoIsOnCall(unrestricted, at(iso))));
    }
  });
});

describe('overrides given in local time around DST changes', () => {
  const covered = schedule({
    timezone: 'America/New_York',
    rotation: { length: 'weekly', handoff: '09:00', start: '2026-03-02' },
    participants: ['U0BASE001'],
    overrides: [
      { user: 'U0SPRING1', from: '2026-03-08T02:30', to: '2026-03-08T03:30' },
      { user: 'U0FALL001', from: '2026-11-01T01:30', to: '2026-11-01T01:45' },
      { user: 'U0NIGHT01', from: '2026-11-01T22:00', to: '2026-11-02T02:00' },
    ],
  });

  it('start at the end of a spring-forward gap', () => {
    expect(summary(whoIsOnCall(covered, at('2026-03-08T07:00:00Z')))).toEqual({
      user: 'U0SPRING1',
      start: '2026-03-08T07:00:00.000Z', // 02:30 does not exist: 03:00 EDT
      end: '2026-03-08T07:30:00.000Z', // 03:30 EDT
    });
    expect(whoIsOnCall(covered, at('2026-03-08T06:59:00Z'))?.user).toBe('U0BASE001');
  });

  it('take the first of two 01:30s in a fall-back overlap', () => {
    expect(summary(whoIsOnCall(covered, at('2026-11-01T05:35:00Z')))).toEqual({
      user: 'U0FALL001',
      start: '2026-11-01T05:30:00.000Z', // 01:30 EDT
      end: '2026-11-01T05:45:00.000Z',
    });
    expect(whoIsOnCall(covered, at('2026-11-01T06:35:00Z'))?.user).toBe('U0BASE001'); // 01:35 EST
  });

  it('split the layer shift they interrupt', () => {
    expect(summary(whoIsOnCall(covered, at('2026-11-01T12:00:00Z')))).toEqual({
      user: 'U0BASE001',
      start: '2026-11-01T05:45:00.000Z',
      end: '2026-11-02T03:00:00.000Z', // 22:00 EST
    });
    expect(summary(whoIsOnCall(covered, at('2026-11-02T08:00:00Z')))).toEqual({
      user: 'U0BASE001',
      start: '2026-11-02T07:00:00.000Z',
      end: '2026-11-02T14:00:00.000Z', // the weekly handoff, Monday 09:00 EST
    });
  });
});
