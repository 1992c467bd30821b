import type { WebClient } from '@slack/web-api';
import type { JobRun } from '../jobs/job.js';
import type { OverrideAnnouncement } from '../jobs/override-announce.js';
import { openDm, postOnce } from './recent-messages.js';
import { slackIdOf } from './user-identity.js';
import { buildOverrideAnnouncement } from './views/override-messages.js';

/** Message metadata on an override announcement, so a repeated run finds what it already posted. */
export const OVERRIDE_EVENT_TYPE = 'oncall_override';

export type OverrideAnnouncer = ReturnType<typeof createOverrideAnnouncer>;

/**
 * Tells people of an override placed or cancelled: in the schedule's `announce_channel` when
 * oncall.yaml names one, otherwise by DM to the person covering and to whoever was on call in that
 * window (or is back on call after a cancel). Run by the Slack-sends queue; retries come from it.
 */
export function createOverrideAnnouncer({ client }: { client: WebClient }) {
  /** Emails in oncall.yaml become Slack ids, so the text mentions people and DMs reach them. */
  async function resolved(a: OverrideAnnouncement): Promise<OverrideAnnouncement> {
    const idOf = async (person: string) => (await slackIdOf(client, person)) ?? person;
    return { ...a, userId: await idOf(a.userId), others: await Promise.all(a.others.map(idOf)) };
  }

  async function channelsFor(a: OverrideAnnouncement): Promise<string[]> {
    if (a.channel) return [a.channel];
    const channels: string[] = [];
    for (const id of new Set([a.userId, ...a.others])) {
      const dm = await openDm(client, id);
      if (dm) channels.push(dm);
    }
    return channels;
  }

  return {
    async announce(announcement: OverrideAnnouncement, run: JobRun): Promise<void> {
      const a = await resolved(announcement);
      const { text } = buildOverrideAnnouncement(a);
      for (const channel of await channelsFor(a)) {
        // The override stands whether or not the channel takes the message.
        await postOnce(client, {
          channel,
          text,
          eventType: OVERRIDE_EVENT_TYPE,
          key: run.key,
          mayRepeat: run.mayRepeat,
          joinable: channel === a.channel,
        });
      }
    },
  };
}
