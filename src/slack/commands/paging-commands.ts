import type { EngageResult } from '../../escalation/escalation-service.js';
import type { OncallConfig } from '../../escalation/oncall-config.js';
import { mrkdwn } from '../views/escape.js';
import { handlers, pagingConfigured } from './command-handler.js';

/** `/incident page|escalate`: paging needs an oncall.yaml. */
export const pagingHandlers = handlers({
  page: {
    async run(cmd, { incident, command, deps }) {
      const { escalation, oncall } = pagingConfigured(deps, 'escalation');
      const target =
        cmd.target.kind === 'user' ? { kind: 'user' as const, user: cmd.target.userId } : cmd.target;
      const result = await escalation.pageNow(incident.id, target, command.user_id);
      if (result.ok)
        return { text: `:pager: Paging ${person(result.target)} for incident #${incident.number} now.` };
      if (result.reason === 'unknown_schedule') {
        return {
          text: `There is no schedule called "${cmd.target.kind === 'schedule' ? cmd.target.schedule : ''}". ${scheduleList(oncall)}`,
        };
      }
      if (result.reason === 'resolved')
        return { text: `Incident #${incident.number} is resolved; nobody was paged.` };
      return {
        text: 'Nobody is on call in that schedule right now; nobody was paged. Page a person with `/incident page @person`.',
      };
    },
  },
  'page-team': {
    async run(cmd, { incident, command, deps }) {
      const { escalation } = pagingConfigured(deps, 'escalation');
      const result = await escalation.engageTeam(incident.id, {
        service: cmd.service,
        by: command.user_id,
        reason: cmd.reason,
      });
      return { text: engageAnswer(result, incident.number, cmd.service) };
    },
  },
  escalate: {
    async run(_cmd, { incident, command, deps }) {
      const { escalation } = pagingConfigured(deps, 'escalation');
      const escalated = await escalation.escalateNow(incident.id, command.user_id, null);
      if (escalated)
        return { text: `:arrow_double_up: Escalating incident #${incident.number} to the next level now.` };
      const started = await escalation.start(incident.id, { service: incident.service });
      return {
        text: started
          ? `:pager: Incident #${incident.number} was not paging anyone; started its escalation policy.`
          : `Incident #${incident.number} cannot be escalated (it is resolved, or no policy applies).`,
      };
    },
  },
});

function scheduleList(oncall: OncallConfig): string {
  return `Schedules: ${Object.keys(oncall.schedules).join(', ') || 'none'}.`;
}

function person(idOrEmail: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(idOrEmail) ? `<@${idOrEmail}>` : idOrEmail;
}

/** What `/incident page service:x` tells the person who typed it. */
function engageAnswer(result: EngageResult, number: number, typed: string): string {
  if (result.ok) {
    const { team, policyName } = result.escalation;
    return `:pager: Paging *${mrkdwn(team!.service)}* into incident #${number} now (policy "${mrkdwn(policyName)}"); whoever acknowledges is added to the incident channel.`;
  }
  switch (result.reason) {
    case 'unknown_service':
      return `There is no service called "${mrkdwn(typed)}". Services: ${result.services.map(mrkdwn).join(', ') || 'none'}.`;
    case 'own_service':
      return `*${mrkdwn(result.service)}* is this incident’s own service: \`/incident escalate\` pages its next level (or starts its policy).`;
    case 'already_engaged': {
      const { team, state, acknowledgedBy } = result.escalation;
      const now =
        state === 'acknowledged' && acknowledgedBy
          ? `acknowledged by <@${acknowledgedBy}>`
          : state === 'triggered'
            ? 'being paged'
            : state === 'exhausted'
              ? 'nobody acknowledged; *Escalate now* on one of its pages starts again'
              : 'stopped';
      return `*${mrkdwn(team!.service)}* is already paged into incident #${number} (${now}); nobody was paged again.`;
    }
    case 'no_policy':
      return `*${mrkdwn(result.service)}* names an escalation policy that does not exist; nobody was paged.`;
    case 'not_open':
      return `Incident #${number} is no longer open (resolved or closed); nobody was paged.`;
  }
}
