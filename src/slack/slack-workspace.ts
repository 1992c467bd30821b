import type { WebClient } from '@slack/web-api';
import {
  type ChannelCreation,
  type IncidentWorkspace,
  type SetupNotice,
  WorkspaceRefusal,
} from '../incidents/incident-workspace.js';
import { HEADLINE_EVENT_TYPE } from './ids.js';
import { describeSlackError, isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';
import { buildIncidentAnnouncement } from './views/incident-announcement.js';
import { buildIncidentHeadline, buildIncidentTopic } from './views/incident-headline.js';
import { setupNoticeText } from './views/setup-notices.js';

export const ANNOUNCEMENT_EVENT_TYPE = 'incident_announcement';

/**
 * The incident set-up's workspace port on Slack: each method is Slack calls and views only. A
 * non-transient Slack error becomes a `WorkspaceRefusal`; transient ones are thrown as they are.
 */
export function createSlackWorkspace(client: WebClient): IncidentWorkspace {
  const botUserId = cachedOnce(() => client.auth.test().then((r) => r.user_id!));

  /** Looks for a message an earlier run posted (tagged with message metadata); null when none. */
  async function findPosted(channel: string, eventType: string, incidentId: number): Promise<string | null> {
    const read = () => client.conversations.history({ channel, limit: 50, include_all_metadata: true });
    let history = await tolerate(['channel_not_found', 'not_in_channel'], read);
    if (history === null) {
      // The bot may post in a public channel without being in it (chat:write.public), but reading
      // needs membership: join, then look again.
      const joined = await tolerate(
        ['channel_not_found', 'is_archived', 'method_not_supported_for_channel_type'],
        () => client.conversations.join({ channel }),
      );
      if (joined) history = await tolerate(['channel_not_found', 'not_in_channel'], read);
    }
    const found = history?.messages?.find((m) => {
      const metadata = m.metadata as
        | { event_type?: string; event_payload?: { incident_id?: number } }
        | undefined;
      return metadata?.event_type === eventType && metadata.event_payload?.incident_id === incidentId;
    });
    return found?.ts ?? null;
  }

  return {
    botUserId,

    async createChannel(name, isPrivate): Promise<ChannelCreation> {
      try {
        const created = await client.conversations.create({ name, is_private: isPrivate });
        return { ok: true, id: created.channel!.id!, name: created.channel!.name ?? name };
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === 'name_taken') return { ok: false, why: 'name_taken' };
        if (code?.startsWith('invalid_name')) return { ok: false, why: 'invalid_name' };
        if (code !== null && !isTransientSlackError(error)) throw new WorkspaceRefusal(code);
        throw error;
      }
    },

    async findChannelCreatedBy(name, creatorId) {
      let cursor: string | undefined;
      do {
        const page = await client.conversations.list({
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        const found = page.channels?.find((c) => c.name === name);
        if (found?.id) return found.creator === creatorId ? found.id : null;
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return null;
    },

    async invite(channel, users) {
      await refused(() =>
        tolerate(['already_in_channel', 'cant_invite_self'], () =>
          client.conversations.invite({ channel, users }),
        ),
      );
    },

    async setTopic(channel, incident) {
      await refused(() => client.conversations.setTopic({ channel, topic: buildIncidentTopic(incident) }));
    },

    async postHeadline(channel, incident, { paging, alert }, { lookFirst }) {
      const existing = lookFirst ? await findPosted(channel, HEADLINE_EVENT_TYPE, incident.id) : null;
      if (existing) return existing;
      const posted = await refused(() =>
        client.chat.postMessage({
          channel,
          ...buildIncidentHeadline(incident, paging, null, alert),
          unfurl_links: false,
        }),
      );
      return posted.ts!;
    },

    async pin(channel, timestamp) {
      await refused(() => tolerate(['already_pinned'], () => client.pins.add({ channel, timestamp })));
    },

    async announce(channel, incident, { lookFirst }) {
      const existing = lookFirst ? await findPosted(channel, ANNOUNCEMENT_EVENT_TYPE, incident.id) : null;
      if (existing) return existing;
      const posted = await refused(() =>
        client.chat.postMessage({
          channel,
          ...buildIncidentAnnouncement(incident),
          metadata: { event_type: ANNOUNCEMENT_EVENT_TYPE, event_payload: { incident_id: incident.id } },
          unfurl_links: false,
        }),
      );
      return posted.ts!;
    },

    async tell(user, originChannelId, notice) {
      const text = setupNoticeText(notice);
      // Ephemeral where they typed the command; a DM when that is not possible (not in a DM channel).
      if (originChannelId && !originChannelId.startsWith('D')) {
        try {
          await client.chat.postEphemeral({ channel: originChannelId, user, text });
          return;
        } catch (error) {
          if (isTransientSlackError(error)) throw error;
          // not_in_channel, user_not_in_channel, channel_not_found…: fall back to a DM.
        }
      }
      await refused(() => client.chat.postMessage({ channel: user, text }));
    },

    async post(channel, notice: SetupNotice) {
      await client.chat.postMessage({ channel, text: setupNoticeText(notice) });
    },

    describeError: describeSlackError,
  };
}

/** Runs a Slack call; a non-transient failure becomes a refusal. */
async function refused<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTransientSlackError(error)) throw error;
    throw new WorkspaceRefusal(describeSlackError(error));
  }
}

/** Asks once (again after a failure). */
function cachedOnce(ask: () => Promise<string>): () => Promise<string> {
  let answer: Promise<string> | null = null;
  return () => {
    answer ??= ask();
    answer.catch(() => {
      answer = null;
    });
    return answer;
  };
}
