import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import type { HandoffAnnouncement } from '../jobs/handoff-announce.js';
import type { JobRun } from '../jobs/job.js';
import type { ShiftNotice } from '../jobs/shift-notice.js';
import { postOnce } from './recent-messages.js';
import { tolerate } from './slack-errors.js';
import { slackIdOf } from './user-identity.js';
import { buildHandoffMessage, buildShiftNotice } from './views/shift-messages.js';

/** Message metadata on shift DMs and handoff messages, so a repeated run finds what it already posted. */
export const SHIFT_EVENT_TYPE = 'oncall_shift';

export type ShiftNotifier = ReturnType<typeof createShiftNotifier>;

/**
 * Shift notices by DM (before a shift and as it starts) and the handoff message in a schedule's team
 * channel. Run by the Slack-sends queue; retries come from it, and each message is posted once.
 */
export function createShiftNotifier({ client, clock }: { client: WebClient; clock: Clock }) {
  /** An email in oncall.yaml becomes a Slack id, so the text mentions the person. */
  const idOf = async (person: string | null) =>
    person === null ? null : ((await slackIdOf(client, person)) ?? person);

  return {
    async notify(notice: ShiftNotice, run: JobRun): Promise<void> {
      const userId = await slackIdOf(client, notice.user);
      if (userId === null) return;
      const dm = await tolerate(['user_not_found', 'user_disabled'], () =>
        client.conversations.open({ users: userId }),
      );
      if (!dm?.channel?.id) return;
      const escalation = await Promise.all(
        notice.escalation.map(async (e) => ({
          ...e,
          levels: await Promise.all(
            e.levels.map((targets) =>
              Promise.all(
                targets.map(async (t) => (t.kind === 'user' ? { ...t, name: (await idOf(t.name))! } : t)),
              ),
            ),
          ),
        })),
      );
      const { text } = buildShiftNotice({ ...notice, escalation }, clock.now());
      await postOnce(client, {
        channel: dm.channel.id,
        text,
        eventType: SHIFT_EVENT_TYPE,
        key: run.key,
        mayRepeat: run.mayRepeat,
        joinable: false,
      });
    },

    async announceHandoff(announcement: HandoffAnnouncement, run: JobRun): Promise<void> {
      const a = { ...announcement, from: await idOf(announcement.from), to: await idOf(announcement.to) };
      await postOnce(client, {
        channel: a.channel,
        text: buildHandoffMessage(a).text,
        eventType: SHIFT_EVENT_TYPE,
        key: run.key,
        mayRepeat: run.mayRepeat,
        joinable: true,
      });
    },
  };
}
