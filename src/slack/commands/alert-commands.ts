import type { EndResult, StartResult } from '../../alerts/maintenance.js';
import { AppError } from '../../errors.js';
import { formatDuration } from '../../escalation/duration.js';
import { identify } from '../user-identity.js';
import {
  buildMaintenanceList,
  buildOpenAlertList,
  maintenanceEnded,
  maintenanceStarted,
} from '../views/alert-ops-messages.js';
import { mrkdwn } from '../views/escape.js';
import { type CommandDeps, handlers } from './command-handler.js';

/** Maintenance needs alert paging, which needs an oncall.yaml. */
function maintenanceConfigured(deps: CommandDeps) {
  if (!deps.maintenance || !deps.oncall)
    throw new AppError('config_invalid', 'alert paging is not configured', {
      userMessage:
        'Paging is not configured on this bot: its operators need to provide an `oncall.yaml` (see README).',
    });
  return { maintenance: deps.maintenance, services: Object.keys(deps.oncall.services) };
}

/** `/incident alerts` and `/incident maintenance`: who may start or end a window is decided by alerts/maintenance-access.ts. */
export const alertHandlers = handlers({
  alerts: {
    async run(_cmd, { deps }) {
      return buildOpenAlertList(await deps.alertQueries.listOpenAlerts(), deps.clock.now());
    },
  },
  maintenance: {
    async run(cmd, { command, client, deps }) {
      const { maintenance, services } = maintenanceConfigured(deps);
      if (cmd.action === 'list') return buildMaintenanceList(await maintenance.list());
      const actor = await identify(client, command.user_id);
      if (cmd.action === 'end') {
        const result = await maintenance.end(cmd.service, actor);
        return {
          text: result.ok
            ? maintenanceEnded(result.window, result.paged)
            : refusal(result, cmd.service, services),
        };
      }
      const result = await maintenance.start({
        service: cmd.service,
        durationMs: cmd.durationMs,
        reason: cmd.reason,
        actor,
      });
      return {
        text: result.ok
          ? maintenanceStarted(result.window, result.extended)
          : refusal(result, cmd.service, services),
      };
    },
  },
});

function refusal(
  result: Exclude<StartResult | EndResult, { ok: true }>,
  service: string,
  services: string[],
): string {
  switch (result.reason) {
    case 'unknown_service':
      return `There is no service called "${mrkdwn(service)}". Services: ${services.map(mrkdwn).join(', ') || 'none'}.`;
    case 'forbidden':
      return `:no_entry: Only the admins named in \`oncall.yaml\` and the people *${mrkdwn(service)}*'s escalation policy pages can start or end its maintenance.`;
    case 'not_in_maintenance':
      return `*${mrkdwn(service)}* is not in maintenance; \`/incident maintenance\` lists the services that are.`;
    case 'bad_duration':
      return `A maintenance window lasts from ${result.minMs === 60_000 ? '1 minute' : formatDuration(result.minMs)} to 7 days.`;
  }
}
