import { LogLevel, WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { describeSlackError, slackErrorCode } from './slack-errors.js';
import { slackIdOf } from './user-identity.js';

/**
 * Errors that mean this workspace or this app cannot manage user groups at all: a plan without them
 * (`paid_teams_only`), a token that may not (`not_allowed_token_type`), scopes the app was installed
 * without (`missing_scope`), or an admin restriction. Retrying cannot help; the operator must act.
 */
const UNAVAILABLE: Record<string, string> = {
  paid_teams_only: "this workspace's Slack plan has no user groups (they need a paid plan)",
  not_allowed_token_type: 'the bot token may not manage user groups in this workspace',
  missing_scope:
    'the app lacks the usergroups:read and usergroups:write scopes (see manifest.yml; reinstall it)',
  permission_denied: 'an admin restricted who may manage user groups in this workspace',
  name_already_exists: 'a user group with that name but another handle exists',
  handle_already_exists: 'that handle is taken by a person or a channel',
};

export type UsergroupSyncResult = 'updated' | 'unchanged' | 'not_configured' | 'unavailable';

export type UsergroupSync = ReturnType<typeof createUsergroupSync>;

interface SlackGroup {
  id?: string;
  handle?: string;
  users?: string[];
}

/**
 * Keeps each schedule's Slack user group (`slack_usergroup`) equal to whoever is on call plus
 * `usergroup_members_always`: usergroups.list (found by handle), usergroups.create when missing,
 * usergroups.users.update when the members differ. A workspace that cannot have user groups is
 * warned about once per process and reason (not at every handoff), and nothing is retried.
 */
export function createUsergroupSync(deps: {
  client: WebClient;
  logger: Logger;
  /** Whom the schedule's group should hold now (the domain decides); null: the schedule has no group. */
  members(schedule: string): Promise<{ handle: string; members: string[] } | null>;
}) {
  const { client, logger } = deps;
  const warned = new Set<string>();

  async function findOrCreate(handle: string, schedule: string): Promise<SlackGroup> {
    const listed = await client.usergroups.list({ include_users: true, include_disabled: true });
    const found = (listed.usergroups as SlackGroup[] | undefined)?.find((g) => g.handle === handle);
    if (found) return found;
    const created = await client.usergroups.create({
      name: handle,
      handle,
      description: `Whoever is on call for ${schedule} (kept by incident-bot)`,
    });
    logger.info({ schedule, handle }, 'created the Slack user group');
    return { ...(created.usergroup as SlackGroup), users: [] };
  }

  return {
    async sync(schedule: string): Promise<UsergroupSyncResult> {
      const wanted = await deps.members(schedule);
      if (!wanted) return 'not_configured';
      const ids: string[] = [];
      for (const person of wanted.members) {
        const id = await slackIdOf(client, person);
        if (id) ids.push(id);
        else logger.warn({ schedule, person }, 'no Slack user with this email; left out of the user group');
      }
      try {
        const group = await findOrCreate(wanted.handle, schedule);
        // Slack refuses an empty member list (invalid_users): with nobody on call the group stays as it is.
        if (ids.length === 0) {
          logger.info({ schedule, handle: wanted.handle }, 'nobody on call: the user group is left as it is');
          return 'unchanged';
        }
        const current = new Set(group.users ?? []);
        if (current.size === ids.length && ids.every((id) => current.has(id))) return 'unchanged';
        await client.usergroups.users.update({ usergroup: group.id!, users: ids.join(',') });
        logger.info({ schedule, handle: wanted.handle, members: ids }, 'user group follows the rota');
        return 'updated';
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === null || !Object.hasOwn(UNAVAILABLE, code)) throw error;
        if (!warned.has(code)) {
          warned.add(code);
          logger.warn(
            { schedule, handle: wanted.handle, code },
            `Slack user group @${wanted.handle} cannot follow the rota: ${UNAVAILABLE[code]} (${code}). Shift notices and handoff messages go on; this is logged once.`,
          );
        }
        return 'unavailable';
      }
    },
  };
}

/**
 * For `npm run config:check`: whether the bot token (SLACK_BOT_TOKEN, at SLACK_API_URL) may manage user
 * groups, as one line. Without a token nothing is asked, and the line says how to check.
 */
export async function describeUsergroupAccess(env: Record<string, string | undefined>): Promise<string> {
  const token = env.SLACK_BOT_TOKEN;
  if (!token) {
    return 'User groups: not checked against Slack (set SLACK_BOT_TOKEN to check the plan and scopes).';
  }
  const client = new WebClient(token, {
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
  try {
    await client.usergroups.list({});
    return 'User groups: this bot token may manage them.';
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== null && Object.hasOwn(UNAVAILABLE, code)) {
      return `Warning: user groups cannot follow the rota: ${UNAVAILABLE[code]} (${code}). Shift DMs and handoff messages still work.`;
    }
    return `User groups: could not ask Slack (${describeSlackError(error)}).`;
  }
}
