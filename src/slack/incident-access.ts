import type { WebClient } from '@slack/web-api';
import { AppError } from '../errors.js';
import { type Ability, decide, factsOf, type Verdict } from '../incidents/access.js';
import type { Incident } from '../incidents/incident-types.js';
import { tolerate } from './slack-errors.js';

/** The people a page was sent to, per incident id (escalation/paged-users-repo.ts, wired in bot.ts). */
export type PagedUsers = (incidentIds: readonly number[]) => Promise<Map<number, string[]>>;

export interface IncidentAccessDeps {
  pagedUsers: PagedUsers;
  admins: readonly string[];
}

/** What a refused request is told. `hidden` must be exactly what a missing incident gets. */
export interface Refusals {
  hidden: string;
  /** What the person may not do: "change the status". */
  what: string;
}

export type IncidentAccess = ReturnType<typeof createIncidentAccess>;

/** The answer to a button or form about an incident that does not exist, or that the clicker may not see. */
export const NO_SUCH_INCIDENT = 'That incident no longer exists.';

/**
 * Applies the access rule (incidents/access.ts) to one request: gathers the facts once (the
 * incident, the people paged for it, channel membership from Slack only when the answer depends on
 * it) and refuses without naming anything a stranger may not see.
 */
export function createIncidentAccess({ pagedUsers, admins }: IncidentAccessDeps) {
  async function verdict(
    incident: Incident,
    userId: string,
    ability: Ability,
    client: WebClient,
  ): Promise<Verdict> {
    const paged = (await pagedUsers([incident.id])).get(incident.id) ?? [];
    return decide(ability, factsOf(incident, paged, admins), userId, () =>
      isMember(client, incident.channelId, userId),
    );
  }

  return {
    verdict,

    isAdmin: (userId: string) => admins.includes(userId),

    /** Throws the refusal unless `userId` may do `ability` to `incident`. */
    async require(
      incident: Incident,
      userId: string,
      ability: Ability,
      client: WebClient,
      refusals: Refusals,
    ): Promise<void> {
      const answer = await verdict(incident, userId, ability, client);
      if (answer === 'allowed') return;
      if (answer === 'hidden') {
        throw new AppError('not_found', `${userId} may not view incident ${incident.number}`, {
          userMessage: refusals.hidden,
        });
      }
      throw new AppError('forbidden', `${userId} may not ${ability} incident ${incident.number}`, {
        userMessage: refusalText(incident, ability, refusals.what),
      });
    },

    /** The incidents `userId` may view, in their order; one query for the paged people. */
    async visible(incidents: Incident[], userId: string, client: WebClient): Promise<Incident[]> {
      const paged = await pagedUsers(incidents.filter((i) => i.isPrivate).map((i) => i.id));
      const shown = await Promise.all(
        incidents.map(async (incident) => {
          const facts = factsOf(incident, paged.get(incident.id) ?? [], admins);
          const answer = await decide('view', facts, userId, () =>
            isMember(client, incident.channelId, userId),
          );
          return answer !== 'hidden';
        }),
      );
      return incidents.filter((_, i) => shown[i]);
    },
  };
}

/** Names no person and no channel: the refused person may be allowed to view but not to see who runs it. */
function refusalText(incident: Incident, ability: Ability, what: string): string {
  if (ability === 'acknowledge')
    return ':no_entry: Only the people paged for this incident, its role holders and admins can acknowledge its pages.';
  const join = incident.isPrivate ? '' : ' Join the channel first.';
  return `:no_entry: Only the commander, the other role holders, admins and members of the incident channel can ${what}.${join}`;
}

/** Whether `userId` is in `channelId` (false without a channel, or one the bot cannot read). */
export async function isMember(
  client: WebClient,
  channelId: string | null,
  userId: string,
): Promise<boolean> {
  if (!channelId) return false;
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
