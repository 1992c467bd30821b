import { computeStats } from '../../incidents/incident-stats.js';
import type { Incident } from '../../incidents/incident-types.js';
import { buildDeclareModal } from '../views/declare-modal.js';
import { mrkdwn } from '../views/escape.js';
import { channelMention } from '../views/format.js';
import { buildIncidentList } from '../views/incident-list.js';
import { buildStatsMessage } from '../views/stats-view.js';
import { handlers } from './command-handler.js';
import { USAGE, usageFor } from './parse-command.js';

/** Commands that need no incident: help, list, create, stats. */
export const generalHandlers = handlers({
  help: {
    async run(cmd) {
      if (cmd.topic === null) return { text: USAGE };
      return { text: usageFor(cmd.topic) ?? `There is no command \`${cmd.topic}\`.\n\n${USAGE}` };
    },
  },
  list: {
    async run(_cmd, { command, client, deps }) {
      const open = await deps.incidents.listOpen();
      const visible = await deps.access.visible(open, command.user_id, client);
      return buildIncidentList(visible, deps.clock.now());
    },
  },
  create: {
    opensModal: (cmd) => cmd.title === null,
    async run(cmd, { command, client, deps }) {
      if (cmd.title === null) {
        try {
          await client.views.open({
            trigger_id: command.trigger_id,
            view: buildDeclareModal({
              reporterId: command.user_id,
              defaultSeverity: cmd.severity ?? deps.defaultSeverity,
              originChannelId: command.channel_id ?? null,
              prefill: { ...(cmd.service ? { service: cmd.service } : {}), isPrivate: cmd.isPrivate },
            }),
          });
          return null;
        } catch (error) {
          deps.logger.warn({ err: error }, 'could not open the declare modal');
          return {
            text: ':warning: Slack did not let me open the form in time. Run `/incident create` again, or declare inline: `/incident create --severity SEV2 --title "What is broken"`.',
          };
        }
      }
      const { incident, created } = await deps.incidents.declare(
        {
          title: cmd.title,
          severity: cmd.severity ?? deps.defaultSeverity,
          summary: null,
          service: cmd.service,
          isPrivate: cmd.isPrivate,
          reporterId: command.user_id,
          commanderId: command.user_id,
          originChannelId: command.channel_id ?? null,
        },
        // Slack gives each invocation its own trigger id; a replay of the same request repeats it.
        { idempotencyKey: `command-${command.trigger_id}` },
      );
      return { text: declaredMessage(incident, created) };
    },
  },
  stats: {
    async run(cmd, { command, deps }) {
      const since = new Date(deps.clock.now().getTime() - cmd.windowDays * 86_400_000);
      // Private incidents are counted for admins only: counts would tell others they exist.
      const includePrivate = deps.access.isAdmin(command.user_id);
      const times = await deps.readModel.listIncidentTimes(since, { includePrivate });
      return buildStatsMessage(computeStats(times), cmd.windowDays);
    },
  },
});

export function declaredMessage(incident: Incident, created: boolean): string {
  const where = incident.channelId ? channelMention(incident.channelId) : 'its channel is being created';
  const lead = created ? ':rotating_light: Declared' : 'Already declared:';
  return `${lead} incident #${incident.number} — *${mrkdwn(incident.title)}* (${incident.severity}${incident.isPrivate ? ', private' : ''}). ${incident.channelId ? `Join ${where}.` : `${where[0]!.toUpperCase()}${where.slice(1)}; I will post the link here.`}`;
}
