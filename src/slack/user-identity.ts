import type { WebClient } from '@slack/web-api';
import type { Identity } from '../escalation/override-access.js';
import { tolerate } from './slack-errors.js';

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * A Slack user as oncall.yaml may name them: their id and, from their profile, their email
 * (`users:read.email`). An unknown user, or one whose email Slack does not give, has none.
 */
export async function identify(client: WebClient, userId: string): Promise<Identity> {
  return (await identifyWithTimeZone(client, userId)).identity;
}

/** The user as oncall.yaml may name them, and the IANA time zone of their Slack profile (null if unknown). */
export async function identifyWithTimeZone(
  client: WebClient,
  userId: string,
): Promise<{ identity: Identity; timeZone: string | null }> {
  const info = await tolerate(['user_not_found', 'user_not_visible', 'missing_scope'], () =>
    client.users.info({ user: userId }),
  );
  return {
    identity: { id: userId, email: info?.user?.profile?.email ?? null },
    timeZone: info?.user?.tz ?? null,
  };
}

/** The Slack id of a person named in oncall.yaml by id or email; null when Slack knows no such email. */
export async function slackIdOf(client: WebClient, idOrEmail: string): Promise<string | null> {
  if (SLACK_USER_ID.test(idOrEmail)) return idOrEmail;
  const found = await tolerate(['users_not_found'], () => client.users.lookupByEmail({ email: idOrEmail }));
  return found?.user?.id ?? null;
}
