import type { WebClient } from '@slack/web-api';
import { AppError } from '../errors.js';
import type { Incident } from '../incidents/incident-types.js';
import { tolerate } from './slack-errors.js';

/**
 * Who may change an incident's status, severity, roles or resolve it: its commander, the admins named
 * in oncall.yaml, and the members of its channel. Anyone else is told why not.
 */
export async function assertMayChange(
  incident: Incident,
  userId: string,
  options: { client: WebClient; admins: readonly string[]; what: string },
): Promise<void> {
  if (incident.commanderId === userId || options.admins.includes(userId)) return;
  if (incident.channelId && (await isMember(options.client, incident.channelId, userId))) return;
  throw new AppError('forbidden', `${userId} may not ${options.what} incident ${incident.number}`, {
    userMessage: `:no_entry: Only the commander (${incident.commanderId ? `<@${incident.commanderId}>` : 'none yet'}), admins and members of ${incident.channelId ? `<#${incident.channelId}>` : 'the incident channel'} can ${options.what}. Join the channel first.`,
  });
}

async function isMember(client: WebClient, channelId: string, userId: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await tolerate(['channel_not_found', 'not_in_channel'], () =>
      client.conversations.members({ channel: channelId, limit: 1000, ...(cursor ? { cursor } : {}) }),
    );
    if (!page) return false;
    if (page.members?.includes(userId)) return true;
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return false;
}
