import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/escalation/oncall-config.js';
import { nextShifts, whoIsOnCall } from '../../../src/escalation/schedule.js';
import { at, schedule, summary } from '../../helpers/schedule-fixture.js';

/**
 * Edges of schedule resolution that a wrong comparison or a dropped step would move. Each question goes
 * to a freshly parsed schedule, so the last-shift cache never answers in place of the resolution.
 */
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

describe('upcoming shifts', () => {
  it('start strictly after the instant asked about', () => {
    const daily = schedule({
      timezone: 'America/New_York',
      rotation: { length: 'daily', handoff: '09:00', start: '2026-03-01' },
      participants: ['U0ANN0001', 'U0BEN0001'],
    });
    // 2026-03-10T13:00Z is a handoff (09:00 EDT): the shift starting then is not "upcoming".
    expect(nextShifts(daily, at('2026-03-10T13:00:00Z'), 1).map(summary)).toEqual([
      { user: 'U0ANN0001', start: '2026-03-11T13:00:00.000Z', end: '2026-03-12T13:00:00.000Z' },
    ]);
  });

  it('stop when nothing more is to come', () => {
    const overridesOnly: Schedule = {
      name: 'cover',
      timezone: 'UTC',
      layers: [],
      overrides: [{ user: 'U0COVER01', from: at('2026-11-21T10:00:00Z'), to: at('2026-11-21T12:00:00Z') }],
    };
    expect(nextShifts(overridesOnly, at('2026-11-20T00:00:00Z'), 3).map(summary)).toEqual([
      { user: 'U0COVER01', start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T12:00:00.000Z' },
    ]);
  });

  it('come in time order whichever source has the earliest', () => {
    const office = () =>
      schedule({
        timezone: 'UTC',
        rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
        participants: ['U0OFFICE1'],
        restrictions: [{ days: WEEKDAYS, from: '09:00', to: '17:00' }],
        overrides: [{ user: 'U0LATER01', from: '2026-11-25T10:00:00Z', to: '2026-11-25T11:00:00Z' }],
      });
    expect(summary(nextShifts(office(), at('2026-11-21T12:00:00Z'), 1)[0]!)).toEqual({
      user: 'U0OFFICE1',
      start: '2026-11-23T09:00:00.000Z', // Monday, before Wednesday's override
      end: '2026-11-23T17:00:00.000Z',
    });
  });
});

describe('a lower layer between the windows of a higher one', () => {
  const layers = (higherStart: string, higherHandoff: string) =>
    schedule({
      timezone: 'UTC',
      layers: [
        {
          rotation: { length: 'daily', handoff: '09:00', start: '2026-11-02' },
          participants: ['U0BASE001'],
        },
        {
          rotation: { length: 'weekly', handoff: higherHandoff, start: higherStart },
          participants: ['U0OFFICE1'],
          restrictions: [{ days: WEEKDAYS, from: '09:00', to: '17:00' }],
        },
      ],
    });

  it('starts at its own handoff when the higher window ended before it', () => {
    expect(summary(whoIsOnCall(layers('2026-11-02', '09:00'), at('2026-11-22T12:00:00Z')))).toEqual({
      user: 'U0BASE001',
      start: '2026-11-22T09:00:00.000Z', // Sunday's handoff, not Friday 17:00
      end: '2026-11-23T09:00:00.000Z',
    });
  });

  it('ignores windows the higher layer would have had before its rotation began', () => {
    const weekly = () =>
      schedule({
        timezone: 'UTC',
        layers: [
          {
            rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-09' },
            participants: ['U0BASE001'],
          },
          {
            rotation: { length: 'weekly', handoff: '08:00', start: '2026-11-16' },
            participants: ['U0OFFICE1'],
            restrictions: [{ days: WEEKDAYS, from: '09:00', to: '17:00' }],
          },
        ],
      });
    const before = { user: 'U0BASE001', start: '2026-11-09T09:00:00.000Z', end: '2026-11-16T09:00:00.000Z' };
    expect(summary(whoIsOnCall(weekly(), at('2026-11-14T12:00:00Z')))).toEqual(before);
    // After the higher layer's first handoff (08:00) but before its first window (09:00).
    expect(summary(whoIsOnCall(weekly(), at('2026-11-16T08:30:00Z')))).toEqual(before);
  });

  it("ignores a higher window that ends at that layer's first handoff", () => {
    const lateStart = schedule({
      timezone: 'UTC',
      layers: [
        {
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-09' },
          participants: ['U0BASE001'],
        },
        {
          rotation: { length: 'weekly', handoff: '17:00', start: '2026-11-16' },
          participants: ['U0OFFICE1'],
          restrictions: [{ days: WEEKDAYS, from: '09:00', to: '17:00' }],
        },
      ],
    });
    expect(summary(whoIsOnCall(lateStart, at('2026-11-16T18:00:00Z')))).toEqual({
      user: 'U0BASE001',
      start: '2026-11-16T09:00:00.000Z',
      end: '2026-11-17T09:00:00.000Z',
    });
  });

  it('takes over exactly when an override ends', () => {
    const covered = () =>
      schedule({
        timezone: 'UTC',
        rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
        participants: ['U0BASE001'],
        overrides: [{ user: 'U0COVER01', from: '2026-11-21T10:00:00Z', to: '2026-11-21T12:00:00Z' }],
      });
    expect(summary(whoIsOnCall(covered(), at('2026-11-21T12:00:00Z')))).toEqual({
      user: 'U0BASE001',
      start: '2026-11-21T12:00:00.000Z',
      end: '2026-11-23T09:00:00.000Z',
    });
  });
});

describe('restriction windows', () => {
  it('wrap past midnight when they end earlier in the hour than they start', () => {
    const almostAllDay = () =>
      schedule({
        timezone: 'UTC',
        rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
        participants: ['U0LONG001'],
        restrictions: [{ days: ['wed'], from: '09:30', to: '09:15' }],
      });
    expect(summary(whoIsOnCall(almostAllDay(), at('2026-11-18T20:00:00Z')))).toEqual({
      user: 'U0LONG001',
      start: '2026-11-18T09:30:00.000Z',
      end: '2026-11-19T09:15:00.000Z',
    });
  });

  it('do not wrap when they end later in the next hour', () => {
    const shortWindow = () =>
      schedule({
        timezone: 'UTC',
        rotation: { length: 'weekly', handoff: '00:00', start: '2026-11-02' },
        participants: ['U0SHORT01'],
        restrictions: [{ days: ['wed'], from: '08:50', to: '09:10' }],
      });
    expect(summary(whoIsOnCall(shortWindow(), at('2026-11-18T09:00:00Z')))?.end).toBe(
      '2026-11-18T09:10:00.000Z',
    );
    expect(whoIsOnCall(shortWindow(), at('2026-11-18T12:00:00Z'))).toBeNull();
  });

  it('may be listed in any order', () => {
    const split = () =>
      schedule({
        timezone: 'UTC',
        rotation: { length: 'weekly', handoff: '00:00', start: '2026-11-02' },
        participants: ['U0SPLIT01'],
        restrictions: [
          { from: '17:00', to: '19:00' },
          { from: '09:00', to: '12:00' },
        ],
      });
    expect(summary(whoIsOnCall(split(), at('2026-11-18T10:00:00Z')))).toEqual({
      user: 'U0SPLIT01',
      start: '2026-11-18T09:00:00.000Z',
      end: '2026-11-18T12:00:00.000Z',
    });
    expect(whoIsOnCall(split(), at('2026-11-18T13:00:00Z'))).toBeNull();
  });

  it('chain from Monday to Saturday night as one run, found from any day inside it', () => {
    const sixDays = () =>
      schedule({
        timezone: 'UTC',
        rotation: { length: 'weekly', handoff: '12:00', start: '2026-11-01' },
        participants: ['U0SIXDAY1'],
        restrictions: [{ days: [...WEEKDAYS, 'sat'], from: '00:00', to: '00:00' }],
      });
    const run = { user: 'U0SIXDAY1', start: '2026-11-16T00:00:00.000Z', end: '2026-11-22T00:00:00.000Z' };
    for (const iso of [
      '2026-11-16T00:00:00Z',
      '2026-11-18T12:00:00Z',
      '2026-11-20T12:00:00Z',
      '2026-11-21T23:59:00Z',
    ])
      expect(summary(whoIsOnCall(sixDays(), at(iso))), iso).toEqual(run);
    expect(whoIsOnCall(sixDays(), at('2026-11-22T00:00:00Z'))).toBeNull();
  });

  it('covering the whole week leave a 2-week rotation its whole turns', () => {
    const fortnight = (restrictions?: unknown[]) =>
      schedule({
        timezone: 'Europe/Berlin',
        rotation: { length: '2 weeks', handoff: '10:00', start: '2026-11-02' },
        participants: ['U0FIRST01', 'U0SECOND1'],
        ...(restrictions ? { restrictions } : {}),
      });
    const turn = { user: 'U0SECOND1', start: '2026-11-16T09:00:00.000Z', end: '2026-11-30T09:00:00.000Z' };
    expect(
      summary(whoIsOnCall(fortnight([{ from: '10:00', to: '10:00' }]), at('2026-11-23T12:00:00Z'))),
    ).toEqual(turn);
    expect(summary(whoIsOnCall(fortnight(), at('2026-11-23T12:00:00Z')))).toEqual(turn);
  });
});
