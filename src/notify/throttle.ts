import type { Channel } from '../escalation/people.js';

/** At most this many of a channel to one number in `THROTTLE_WINDOW_MS` (as mature pagers do). */
export const THROTTLE_LIMITS: Partial<Record<Channel, number>> = { voice: 3, sms: 5 };
export const THROTTLE_WINDOW_MS = 15 * 60_000;

/**
 * Whether one more `channel` message to a target is over its limit, given when earlier ones to the
 * same target were sent (the `deliveries` rows with status sent). Channels without a limit never are.
 */
export function isThrottled(channel: Channel, sentAt: readonly Date[], now: Date): boolean {
  const limit = THROTTLE_LIMITS[channel];
  if (limit === undefined) return false;
  const since = now.getTime() - THROTTLE_WINDOW_MS;
  return sentAt.filter((at) => at.getTime() > since && at.getTime() <= now.getTime()).length >= limit;
}
