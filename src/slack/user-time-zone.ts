import type { WebClient } from '@slack/web-api';
import { isValidTimeZone } from '../escalation/wall-time.js';
import { tolerate } from './slack-errors.js';

/** The IANA zone of a Slack user's profile (`users.info`'s `tz`); null when Slack gives none we know. */
export async function timeZoneOf(client: WebClient, userId: string): Promise<string | null> {
  const info = await tolerate(['user_not_found', 'user_not_visible', 'missing_scope'], () =>
    client.users.info({ user: userId }),
  );
  const zone = info?.user?.tz;
  return zone && isValidTimeZone(zone) ? zone : null;
}
