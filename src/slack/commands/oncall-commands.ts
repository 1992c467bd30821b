import { parseLocalDateTime } from '../../escalation/local-date-time.js';
import { nextShifts, whoIsOnCall } from '../../escalation/schedule.js';
import { isValidTimeZone } from '../../escalation/wall-time.js';
import { viewerRules } from '../listeners/notify-test-buttons.js';
import { identify, identifyWithTimeZone } from '../user-identity.js';
import { mrkdwn } from '../views/escape.js';
import { section } from '../views/incident-list.js';
import { buildOncallMeMessage } from '../views/notify-rules.js';
import { type AskedMoment, buildCalendarLinksMessage, buildOncallMessage } from '../views/oncall-views.js';
import { type CommandAnswer, type CommandContext, handlers, pagingConfigured } from './command-handler.js';
import { unknownSchedule } from './override-commands.js';

/** `/incident oncall [--schedule …] [--at …]` and `/incident oncall calendar [reset]`. */
export const oncallHandlers = handlers({
  oncall: {
    async run(cmd, context) {
      const { deps } = context;
      const { oncall } = pagingConfigured(deps, 'escalation');
      if (cmd.schedule && !oncall.schedules[cmd.schedule])
        return { text: unknownSchedule(cmd.schedule, oncall.schedules) };
      const now = deps.clock.now();
      const asked = cmd.at ? await askedMoment(cmd.at, now, oncall.timezone, context) : null;
      if (asked !== null && 'text' in asked) return asked;
      const when = asked?.instant ?? now;
      const schedules = await deps.readModel.effectiveSchedules(now);
      const rows = Object.values(schedules)
        .filter((schedule) => cmd.schedule === null || schedule.name === cmd.schedule)
        .map((schedule) => ({
          schedule: schedule.name,
          usergroup: schedule.slackUsergroup ?? null,
          current: whoIsOnCall(schedule, when),
          next: nextShifts(schedule, when, 1)[0] ?? null,
        }));
      return buildOncallMessage(rows, asked);
    },
  },
  'oncall-me': {
    async run(_cmd, { command, client, deps }) {
      const { notifyTests } = pagingConfigured(deps, 'notifyTests');
      return buildOncallMeMessage(await viewerRules(client, command.user_id, notifyTests));
    },
  },
  'oncall-calendar': {
    async run(_cmd, { command, client, deps }) {
      const { calendar } = pagingConfigured(deps, 'calendar');
      const issued = await calendar.service.issueLinks(await identify(client, command.user_id));
      const message = buildCalendarLinksMessage({
        personal: calendar.url(issued.personal),
        schedules: issued.schedules.map(({ schedule, token }) => ({ schedule, url: calendar.url(token) })),
      });
      try {
        await client.chat.postMessage({ channel: command.user_id, ...message });
        return { text: ':calendar: I sent you your calendar links in a direct message.' };
      } catch (error) {
        // Nobody else can see an ephemeral reply: the links are as safe there as in a DM.
        deps.logger.warn({ err: error }, 'could not send calendar links by DM; answering in place');
        const warning =
          ':warning: I could not send you a direct message, so here are your links (only you can see this):';
        return { text: `${warning}\n${message.text}`, blocks: [section(warning), ...message.blocks] };
      }
    },
  },
  'oncall-calendar-reset': {
    async run(_cmd, { command, deps }) {
      const { calendar } = pagingConfigured(deps, 'calendar');
      const revoked = await calendar.service.revokeLinks(command.user_id);
      return {
        text:
          revoked === 0
            ? 'You have no calendar links to revoke. `/incident oncall calendar` sends you some.'
            : `:wastebasket: Revoked your ${revoked === 1 ? 'calendar link' : `${revoked} calendar links`}: calendars subscribed to ${revoked === 1 ? 'it' : 'them'} stop updating. \`/incident oncall calendar\` sends you new ones.`,
      };
    },
  },
});

/**
 * The moment `--at` names, read in the asker's Slack time zone (else oncall.yaml's, else UTC); an answer
 * instead when it is already past.
 */
async function askedMoment(
  typed: string,
  now: Date,
  fallbackZone: string | undefined,
  { command, client }: CommandContext,
): Promise<AskedMoment | CommandAnswer> {
  const { timeZone } = await identifyWithTimeZone(client, command.user_id);
  const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : (fallbackZone ?? 'UTC');
  // The grammar checked that the date and time exist.
  const instant = parseLocalDateTime(typed, zone)!;
  if (instant < now)
    return {
      text: `${mrkdwn(typed)} (${mrkdwn(zone)}) is in the past: \`--at\` tells who will be on call. \`/incident oncall\` tells who is now.`,
    };
  return { instant, typed, zone };
}
