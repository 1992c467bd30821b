import type { SlashCommand } from '@slack/bolt';
import type { Clock } from '../../clock.js';
import type { Pool } from '../../db/pool.js';
import { AppError } from '../../errors.js';
import { parseDuration } from '../../escalation/duration.js';
import type { EscalationService } from '../../escalation/escalation-service.js';
import type { OncallConfig } from '../../escalation/oncall-config.js';
import { effectiveSchedules, insertOverride } from '../../escalation/overrides-repo.js';
import { nextShifts, whoIsOnCall } from '../../escalation/schedule.js';
import type { IncidentService } from '../../incidents/incident-service.js';
import { slackDate } from '../views/format.js';
import { incidentFor } from './incident-context.js';
import type { IncidentCommand } from './parse-command.js';

export interface PagingCommandDeps {
  incidents: IncidentService;
  escalation: EscalationService | null;
  oncall: OncallConfig | null;
  pool: Pool;
  clock: Clock;
}

const MIN_OVERRIDE_MS = 60_000;
const MAX_OVERRIDE_MS = 14 * 86_400_000;

type PagingCommand = Extract<IncidentCommand, { name: 'page' | 'escalate' | 'oncall' | 'oncall-override' }>;

/** `/incident page|escalate|oncall`: returns the text of the ephemeral answer. */
export async function runPagingCommand(
  cmd: PagingCommand,
  command: SlashCommand,
  deps: PagingCommandDeps,
): Promise<string> {
  const { escalation, oncall } = deps;
  if (!escalation || !oncall) {
    throw new AppError('config_invalid', 'paging is not configured', {
      userMessage:
        'Paging is not configured on this bot: its operators need to provide an `oncall.yaml` (see README).',
    });
  }
  switch (cmd.name) {
    case 'page': {
      const incident = await incidentFor(cmd.reference, command.channel_id, deps.incidents);
      const target =
        cmd.target.kind === 'user' ? { kind: 'user' as const, user: cmd.target.userId } : cmd.target;
      const result = await escalation.pageNow(incident.id, target, command.user_id);
      if (result.ok) return `:pager: Paging ${person(result.target)} for incident #${incident.number} now.`;
      if (result.reason === 'unknown_schedule') {
        return `There is no schedule called "${cmd.target.kind === 'schedule' ? cmd.target.schedule : ''}". Schedules: ${Object.keys(oncall.schedules).join(', ') || 'none'}.`;
      }
      if (result.reason === 'resolved') return `Incident #${incident.number} is resolved; nobody was paged.`;
      return 'Nobody is on call in that schedule right now; nobody was paged. Page a person with `/incident page @person`.';
    }
    case 'escalate': {
      const incident = await incidentFor(cmd.reference, command.channel_id, deps.incidents);
      const escalated = await escalation.escalateNow(incident.id, command.user_id, null);
      if (escalated)
        return `:arrow_double_up: Escalating incident #${incident.number} to the next level now.`;
      const started = await escalation.start(incident.id, { service: incident.service });
      return started
        ? `:pager: Incident #${incident.number} was not paging anyone; started its escalation policy.`
        : `Incident #${incident.number} cannot be escalated (it is resolved, or no policy applies).`;
    }
    case 'oncall': {
      const now = deps.clock.now();
      const schedules = await effectiveSchedules(deps.pool, oncall, now);
      const lines = Object.values(schedules).map((schedule) => {
        const current = whoIsOnCall(schedule, now);
        const [next] = nextShifts(schedule, now, 1);
        const nowText = current ? `${person(current.user)} until ${slackDate(current.end)}` : '_nobody_';
        const nextText = next ? `${person(next.user)} from ${slackDate(next.start)}` : '_nobody scheduled_';
        return `*${schedule.name}* — now: ${nowText} · next: ${nextText}`;
      });
      return lines.length
        ? `*On call*\n${lines.join('\n')}`
        : 'No schedules are configured in `oncall.yaml`.';
    }
    case 'oncall-override': {
      const ms = parseDuration(cmd.durationText);
      if (ms === null || ms < MIN_OVERRIDE_MS || ms > MAX_OVERRIDE_MS) {
        return `"${cmd.durationText}" is not a duration between 1 minute and 14 days: use e.g. \`30m\`, \`2h\`, \`1 day\`.`;
      }
      const names = cmd.schedule
        ? [cmd.schedule]
        : Object.values(oncall.schedules)
            .filter((s) => s.layers.some((l) => l.participants.includes(cmd.userId)))
            .map((s) => s.name);
      if (cmd.schedule && !oncall.schedules[cmd.schedule]) {
        return `There is no schedule called "${cmd.schedule}". Schedules: ${Object.keys(oncall.schedules).join(', ') || 'none'}.`;
      }
      if (names.length === 0) {
        return `${person(cmd.userId)} is in no schedule; say which one: \`/incident oncall override ${person(cmd.userId)} ${cmd.durationText} --schedule <name>\`.`;
      }
      const startsAt = deps.clock.now();
      const endsAt = new Date(startsAt.getTime() + ms);
      for (const schedule of names) {
        await insertOverride(deps.pool, {
          schedule,
          userId: cmd.userId,
          startsAt,
          endsAt,
          createdBy: command.user_id,
        });
      }
      return `:repeat: ${person(cmd.userId)} is on call for ${names.join(', ')} until ${slackDate(endsAt)}.`;
    }
  }
}

function person(idOrEmail: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(idOrEmail) ? `<@${idOrEmail}>` : idOrEmail;
}
