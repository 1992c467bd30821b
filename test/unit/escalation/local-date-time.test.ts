import { describe, expect, it } from 'vitest';
import { parseLocalDateTime } from '../../../src/escalation/local-date-time.js';

const read = (text: string, zone: string) => parseLocalDateTime(text, zone)?.toISOString() ?? null;

describe('dates and times typed in a command, in the person’s time zone', () => {
  it('reads them as wall time in that zone', () => {
    expect(read('2026-12-24 09:00', 'Europe/Berlin')).toBe('2026-12-24T08:00:00.000Z');
    expect(read('2026-12-24T09:00', 'America/New_York')).toBe('2026-12-24T14:00:00.000Z');
    expect(read('  2026-12-24   9:30 ', 'UTC')).toBe('2026-12-24T09:30:00.000Z');
  });

  it('follows the schedules’ DST rules: a missing time is the first instant after the gap, a repeated one its first occurrence', () => {
    expect(read('2026-03-08 02:30', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(read('2026-11-01 01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
  });

  it('refuses what is not a date and a time of day, or not on the calendar', () => {
    for (const text of [
      '2026-02-30 09:00',
      '2026-12-24 24:00',
      '2026-12-24 09:60',
      '2026-12-24',
      '09:00',
      '2026-12-24 09:00:30',
      '2026-12-24T09:00Z',
      '24/12/2026 09:00',
      'tomorrow 9am',
    ])
      expect(read(text, 'UTC'), text).toBeNull();
  });
});
