import { DateTime } from 'luxon';
import type { Severity } from '../incidents/incident-types.js';
import type { Channel, Person } from './people.js';

/** Only calls and texts keep quiet; Slack, push and email are never held back. */
const QUIET_CHANNELS: ReadonlySet<Channel> = new Set(['sms', 'voice']);

/**
 * Whether a step on `channel` is skipped for quiet hours: the person has them, `now` falls inside
 * the window in `zone` (local wall time, so the window keeps its hours across a DST change), the
 * channel is sms or voice, and the severity is not one of `only`.
 */
export function isQuietHoursSkip(
  person: Pick<Person, 'quietHours'>,
  channel: Channel,
  severity: Severity,
  now: Date,
  zone: string,
): boolean {
  const quiet = person.quietHours;
  if (!quiet || !QUIET_CHANNELS.has(channel) || quiet.only.includes(severity)) return false;
  const local = DateTime.fromJSDate(now, { zone });
  const minute = local.hour * 60 + local.minute;
  const from = quiet.from.hour * 60 + quiet.from.minute;
  const to = quiet.to.hour * 60 + quiet.to.minute;
  // `to` at or before `from`: the window runs past midnight.
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}
