import { describe, expect, it } from 'vitest';
import { isThrottled } from '../../../src/notify/throttle.js';

const now = new Date('2026-12-02T12:00:00Z');
const minutesAgo = (...minutes: number[]) => minutes.map((m) => new Date(now.getTime() - m * 60_000));

describe('throttles per contact method', () => {
  it('allows a third call in 15 minutes but not a fourth', () => {
    expect(isThrottled('voice', minutesAgo(1, 5), now)).toBe(false);
    expect(isThrottled('voice', minutesAgo(1, 5, 14), now)).toBe(true);
  });

  it('allows a fifth SMS in 15 minutes but not a sixth', () => {
    expect(isThrottled('sms', minutesAgo(1, 2, 3, 4), now)).toBe(false);
    expect(isThrottled('sms', minutesAgo(1, 2, 3, 4, 5), now)).toBe(true);
  });

  it('forgets sends older than 15 minutes', () => {
    expect(isThrottled('voice', minutesAgo(15, 16, 30), now)).toBe(false);
    expect(isThrottled('voice', minutesAgo(1, 2, 15), now)).toBe(false);
  });

  it('never throttles email, push or Slack', () => {
    for (const channel of ['email', 'push', 'slack'] as const) {
      expect(isThrottled(channel, minutesAgo(0, 1, 2, 3, 4, 5, 6, 7), now)).toBe(false);
    }
  });
});
