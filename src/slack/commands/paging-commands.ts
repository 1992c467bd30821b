import type { OncallConfig } from '../../escalation/oncall-config.js';
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
