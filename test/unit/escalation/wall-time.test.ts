import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  formatInZone,
  isValidTimeZone,
  localDateOf,
  parseInstant,
  parseLocalDate,
  wallTimeToInstant,
  weekdayOf,
} from '../../../src/escalation/wall-time.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const wall = (date: string, time: string, zone: string) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return iso(wallTimeToInstant({ year, month, day }, { hour, minute }, zone));
};

describe('time zones and calendar dates', () => {
  it('knows IANA zones', () => {
    expect(isValidTimeZone('America/St_Johns')).toBe(true);
    expect(isValidTimeZone('Pacific/Chatham')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('reads real calendar dates only', () => {
    expect(parseLocalDate('2026-11-02')).toEqual({ year: 2026, month: 11, day: 2 });
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    for (const text of [
      '+002026-11-02',
      '2026-02-29',
      '2026-13-01',
      '2026-1-01',
      '2026-11-02T09:00',
      '20261102',
      'soon',
    ]) {
      expect(parseLocalDate(text)).toBeNull();
    }
  });

  it('does calendar arithmetic without zones', () => {
    expect(weekdayOf({ year: 2026, month: 11, day: 2 })).toBe(1);
    expect(weekdayOf({ year: 2026, month: 11, day: 8 })).toBe(7);
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addDays({ year: 2026, month: 3, day: 1 }, -1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addDays({ year: 2026, month: 3, day: 7 }, 14)).toEqual({ year: 2026, month: 3, day: 21 });
    expect(daysBetween({ year: 2026, month: 3, day: 1 }, { year: 2026, month: 3, day: 9 })).toBe(8);
    expect(daysBetween({ year: 2026, month: 11, day: 9 }, { year: 2026, month: 10, day: 26 })).toBe(-14);
  });

  it('finds the local date of an instant in zones far from UTC', () => {
    const instant = Date.parse('2026-11-01T11:00:00Z');
    expect(localDateOf(instant, 'Pacific/Chatham')).toEqual({ year: 2026, month: 11, day: 2 }); // 00:45 +13:45
    expect(localDateOf(instant, 'Pacific/Pago_Pago')).toEqual({ year: 2026, month: 11, day: 1 }); // 00:00 −11
    expect(localDateOf(Date.parse('2026-11-01T02:29:00Z'), 'America/St_Johns')).toEqual({
      year: 2026,
      month: 10,
      day: 31,
    }); // 23:59 NDT (−2:30)
  });
});

describe('wall time to instants', () => {
  it('reads ordinary wall times in half- and three-quarter-hour zones', () => {
    expect(wall('2026-01-15', '09:00', 'America/St_Johns')).toBe('2026-01-15T12:30:00.000Z');
    expect(wall('2026-07-15', '09:00', 'America/St_Johns')).toBe('2026-07-15T11:30:00.000Z');
    expect(wall('2026-01-15', '09:00', 'Pacific/Chatham')).toBe('2026-01-14T19:15:00.000Z');
    expect(wall('2026-07-15', '09:00', 'Asia/Kathmandu')).toBe('2026-07-15T03:15:00.000Z');
  });

  it('moves a wall time in a spring-forward gap to the first instant after it', () => {
    expect(wall('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
    expect(wall('2026-03-08', '02:00', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(wall('2026-03-08', '03:00', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(wall('2026-03-08', '01:59', 'America/New_York')).toBe('2026-03-08T06:59:00.000Z');
    // Chatham springs from 02:45 to 03:45; Lord Howe by half an hour; Santiago skips midnight.
    expect(wall('2026-09-27', '03:00', 'Pacific/Chatham')).toBe('2026-09-26T14:00:00.000Z');
    expect(wall('2026-10-04', '02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z');
    expect(wall('2026-09-06', '00:30', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
  });

  it('moves a time on a day the zone skipped to the start of the next day', () => {
    // Samoa crossed the date line: 2011-12-30 never happened in Apia.
    expect(wall('2011-12-30', '10:00', 'Pacific/Apia')).toBe('2011-12-30T10:00:00.000Z');
    expect(wall('2011-12-30', '00:00', 'Pacific/Apia')).toBe('2011-12-30T10:00:00.000Z');
    expect(wall('2011-12-31', '10:00', 'Pacific/Apia')).toBe('2011-12-30T20:00:00.000Z');
  });

  it('takes the first occurrence of a wall time repeated by a fall-back overlap', () => {
    expect(wall('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(wall('2026-11-01', '01:00', 'America/New_York')).toBe('2026-11-01T05:00:00.000Z');
    expect(wall('2026-11-01', '02:00', 'America/New_York')).toBe('2026-11-01T07:00:00.000Z'); // only EST
    expect(wall('2026-04-05', '01:45', 'Australia/Lord_Howe')).toBe('2026-04-04T14:45:00.000Z');
    expect(wall('2026-04-05', '02:30', 'Pacific/Chatham')).toBe('2026-04-04T12:45:00.000Z'); // 02:30 +13:45
  });
});

describe('override times', () => {
  it('take an instant with Z or an offset as written', () => {
    expect(iso(parseInstant('2026-11-09T09:00:00Z', 'America/New_York'))).toBe('2026-11-09T09:00:00.000Z');
    expect(iso(parseInstant('2026-11-09T09:00z', 'America/New_York'))).toBe('2026-11-09T09:00:00.000Z');
    expect(iso(parseInstant('2026-11-09T09:00+05:30', 'America/New_York'))).toBe('2026-11-09T03:30:00.000Z');
    expect(iso(parseInstant('2026-11-09T09:00-0330', 'America/New_York'))).toBe('2026-11-09T12:30:00.000Z');
    expect(iso(parseInstant('2026-11-09T09:00+05', 'America/New_York'))).toBe('2026-11-09T04:00:00.000Z');
  });

  it("read a time without an offset as wall time in the schedule's zone", () => {
    expect(iso(parseInstant('2026-11-09T09:00', 'America/New_York'))).toBe('2026-11-09T14:00:00.000Z');
    expect(iso(parseInstant('2026-11-09T09:00', 'Pacific/Chatham'))).toBe('2026-11-08T19:15:00.000Z');
    expect(iso(parseInstant('2026-11-09', 'America/New_York'))).toBe('2026-11-09T05:00:00.000Z');
    expect(iso(parseInstant('2026-11-09T09:00:30.250', 'America/New_York'))).toBe('2026-11-09T14:00:30.250Z');
  });

  it("keep their wall-clock fields whatever the machine's zone (02:45–03:45 does not exist in Chatham that day)", () => {
    expect(iso(parseInstant('2026-09-27T03:00', 'UTC'))).toBe('2026-09-27T03:00:00.000Z');
    expect(iso(parseInstant('2026-09-27T03:00', 'Europe/London'))).toBe('2026-09-27T02:00:00.000Z');
  });

  it('follow the gap and overlap rules in a DST change', () => {
    expect(iso(parseInstant('2026-03-08T02:30', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(parseInstant('2026-03-08T02:30:15', 'America/New_York'))).toBe('2026-03-08T07:00:15.000Z');
    expect(iso(parseInstant('2026-11-01T01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(parseInstant('2026-11-01T01:30-05:00', 'America/New_York'))).toBe('2026-11-01T06:30:00.000Z');
  });

  it('refuse what is not a date-time', () => {
    for (const text of ['2026-02-30T10:00', '2026-11-09 09:00', 'next monday', '', '2026-11-09T25:00Z']) {
      expect(parseInstant(text, 'America/New_York')).toBeNull();
    }
  });
});

describe('times shown to people', () => {
  it('are in English with the zone, whatever the machine locale', () => {
    expect(formatInZone(Date.parse('2026-11-09T14:00:00Z'), 'America/New_York')).toBe(
      'Mon 9 Nov 2026 09:00 EST',
    );
    expect(formatInZone(Date.parse('2026-01-01T00:00:00Z'), 'Pacific/Chatham')).toBe(
      'Thu 1 Jan 2026 13:45 GMT+13:45',
    );
    expect(formatInZone(Date.parse('2026-01-01T00:00:00Z'), 'America/St_Johns')).toBe(
      'Wed 31 Dec 2025 20:30 GMT-3:30',
    );
  });
});
