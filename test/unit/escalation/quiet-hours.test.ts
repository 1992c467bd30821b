import { describe, expect, it } from 'vitest';
import { isQuietHoursSkip } from '../../../src/escalation/quiet-hours.js';

const bob = {
  quietHours: { from: { hour: 22, minute: 0 }, to: { hour: 7, minute: 0 }, only: ['SEV1' as const] },
};
const NY = 'America/New_York';

describe('quiet hours', () => {
  it('skip sms and voice inside the window for severities not listed', () => {
    const night = new Date('2026-12-02T04:00:00Z'); // 23:00 in New York
    expect(isQuietHoursSkip(bob, 'sms', 'SEV2', night, NY)).toBe(true);
    expect(isQuietHoursSkip(bob, 'voice', 'SEV3', night, NY)).toBe(true);
    expect(isQuietHoursSkip(bob, 'voice', 'SEV1', night, NY)).toBe(false);
    for (const channel of ['slack', 'push', 'email'] as const) {
      expect(isQuietHoursSkip(bob, channel, 'SEV4', night, NY)).toBe(false);
    }
  });

  it('end at `to` and do not apply by day or without quiet hours', () => {
    expect(isQuietHoursSkip(bob, 'sms', 'SEV2', new Date('2026-12-02T11:59:00Z'), NY)).toBe(true); // 06:59
    expect(isQuietHoursSkip(bob, 'sms', 'SEV2', new Date('2026-12-02T12:00:00Z'), NY)).toBe(false); // 07:00
    expect(isQuietHoursSkip(bob, 'sms', 'SEV2', new Date('2026-12-02T17:00:00Z'), NY)).toBe(false); // noon
    expect(
      isQuietHoursSkip({ quietHours: undefined }, 'sms', 'SEV2', new Date('2026-12-02T04:00:00Z'), NY),
    ).toBe(false);
  });

  it('keep their local hours across a DST change', () => {
    // 2027-03-14 New York springs forward: 06:30 local is 11:30Z before and 10:30Z after.
    expect(isQuietHoursSkip(bob, 'voice', 'SEV2', new Date('2027-03-13T11:30:00Z'), NY)).toBe(true);
    expect(isQuietHoursSkip(bob, 'voice', 'SEV2', new Date('2027-03-14T10:30:00Z'), NY)).toBe(true);
    // 07:30 local after the change is 11:30Z: no longer quiet.
    expect(isQuietHoursSkip(bob, 'voice', 'SEV2', new Date('2027-03-14T11:30:00Z'), NY)).toBe(false);
  });

  it('a same-day window does not wrap', () => {
    const lunch = { quietHours: { from: { hour: 12, minute: 0 }, to: { hour: 13, minute: 0 }, only: [] } };
    expect(isQuietHoursSkip(lunch, 'sms', 'SEV1', new Date('2026-12-02T12:30:00Z'), 'UTC')).toBe(true);
    expect(isQuietHoursSkip(lunch, 'sms', 'SEV1', new Date('2026-12-02T23:30:00Z'), 'UTC')).toBe(false);
  });
});
