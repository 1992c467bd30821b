import type { SetupStep } from '../../incidents/incident-types.js';
import type { SetupNotice } from '../../incidents/incident-workspace.js';
import { mrkdwn } from './escape.js';

const STEP_WORDS: Record<SetupStep, string> = {
  channel: 'create the incident channel',
  invite: 'invite the responders',
  topic: 'set the channel topic',
  headline: 'post the headline card',
  pin: 'pin the headline card',
  announce: 'announce the incident in the announcement channel (is the bot a member there?)',
  notify: 'tell the reporter where the channel is',
};

/** What the incident set-up tells people, as Slack text. */
export function setupNoticeText(notice: SetupNotice): string {
  switch (notice.kind) {
    case 'declared': {
      const { incident } = notice;
      const commander =
        incident.commanderId && incident.commanderId !== incident.reporterId ? 'the commander ' : '';
      return `:white_check_mark: Incident #${incident.number} is declared. Its channel is <#${incident.channelId}>: you, ${commander}and the bot are in it.`;
    }
    case 'invites_failed':
      return `:warning: I could not invite ${notice.failures.map((f) => `<@${f.userId}> (${f.reason})`).join(', ')}. Please add them by hand.`;
    case 'step_failed':
      return `:warning: Incident #${notice.incident.number}: I could not ${STEP_WORDS[notice.step]} (\`${notice.reason}\`).`;
    case 'channel_refused':
      return (
        `:x: Incident #${notice.incident.number} (${mrkdwn(notice.incident.title)}) is declared, but Slack refused to create its channel: \`${notice.reason}\`. ` +
        'Create a channel by hand, or ask a workspace admin to allow the bot to create channels.'
      );
    case 'stuck':
      return (
        `:hourglass: Slack is not answering reliably (\`${notice.reason}\`), so setting up incident #${notice.incident.number} ` +
        `is stuck at "${notice.step}". I will keep retrying in the background.`
      );
  }
}
