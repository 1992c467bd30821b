import type { SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../clock.js';
import type { IncidentService } from '../../incidents/incident-service.js';
import type { LifecycleService } from '../../incidents/lifecycle-service.js';
import { assertMayChange } from '../authorization.js';
import { buildIncidentHeadline } from '../views/incident-headline.js';
import { buildTimelineMessage } from '../views/timeline-view.js';
import { incidentFor } from './incident-context.js';
import type { IncidentCommand } from './parse-command.js';

export interface LifecycleCommandDeps {
  incidents: IncidentService;
  lifecycle: LifecycleService;
  clock: Clock;
  admins: readonly string[];
}

type LifecycleCommand = Extract<
  IncidentCommand,
  {
    name:
      | 'status'
      | 'severity'
      | 'role'
      | 'update'
      | 'note'
      | 'followup'
      | 'timeline'
      | 'show'
      | 'reopen'
      | 'resolve'
      | 'close'
      | 'postmortem';
  }
>;

export interface CommandAnswer {
  text: string;
  blocks?: unknown[];
}

/** The commands that run an incident from its channel. */
export async function runLifecycleCommand(
  cmd: LifecycleCommand,
  command: SlashCommand,
  client: WebClient,
  deps: LifecycleCommandDeps,
): Promise<CommandAnswer> {
  const incident = await incidentFor(cmd.reference, command.channel_id, deps.incidents);
  const actor = command.user_id;
  const guard = (what: string) => assertMayChange(incident, actor, { client, admins: deps.admins, what });
  switch (cmd.name) {
    case 'status': {
      await guard(cmd.status === 'resolved' ? 'resolve this incident' : 'change the status');
      const updated = await deps.lifecycle.setStatus(incident.id, cmd.status, actor);
      return { text: `Incident #${updated.number} is now *${updated.status}*.` };
    }
    case 'severity': {
      await guard('change the severity');
      const updated = await deps.lifecycle.setSeverity(incident.id, cmd.severity, actor);
      return { text: `Incident #${updated.number} is now *${updated.severity}*.` };
    }
    case 'role': {
      await guard('assign roles');
      await deps.lifecycle.assignRole(incident.id, cmd.role, cmd.userId, actor);
      return { text: `<@${cmd.userId}> is now ${cmd.role} of incident #${incident.number}.` };
    }
    case 'update':
      await deps.lifecycle.postUpdate(incident.id, cmd.text, actor);
      return { text: `Update posted to incident #${incident.number}.` };
    case 'note':
      await deps.lifecycle.addNote(incident.id, cmd.text, actor);
      return { text: `:memo: Noted on the timeline of incident #${incident.number}.` };
    case 'followup': {
      const followup = await deps.lifecycle.addFollowup(
        incident.id,
        { text: cmd.text, ownerId: cmd.ownerId, dueDate: cmd.dueDate },
        actor,
      );
      const owner = followup.ownerId ? ` — owner <@${followup.ownerId}>` : '';
      const due = followup.dueDate ? `, due ${followup.dueDate}` : '';
      return {
        text: `:white_check_mark: Follow-up #${followup.id} added to incident #${incident.number}: ${followup.text}${owner}${due}.`,
      };
    }
    case 'timeline': {
      const events = await deps.lifecycle.timeline(incident.id);
      return buildTimelineMessage(incident, events, cmd.page);
    }
    case 'show': {
      const card = buildIncidentHeadline(incident);
      // The card without its buttons: this copy is only for the person who asked.
      return { text: card.text, blocks: card.blocks.filter((b) => b.type !== 'actions') };
    }
    case 'resolve': {
      await guard('resolve this incident');
      const updated = await deps.lifecycle.setStatus(incident.id, 'resolved', actor);
      return {
        text: `Incident #${updated.number} is now *resolved*. Paging and reminders stopped. \`/incident close\` when you are done.`,
      };
    }
    case 'close': {
      await guard('close this incident');
      const closed = await deps.lifecycle.close(incident.id, { resolution: cmd.resolution }, actor);
      return {
        text: `Incident #${closed.number} is closed. The postmortem draft is on its way to <#${closed.channelId}>.`,
      };
    }
    case 'postmortem':
      await deps.lifecycle.regeneratePostmortem(incident.id, actor);
      return {
        text: `Regenerating the postmortem draft of incident #${incident.number} from the latest data.`,
      };
    case 'reopen': {
      await guard('reopen this incident');
      const updated = await deps.lifecycle.reopen(incident.id, actor);
      return { text: `Incident #${updated.number} is reopened and back to *investigating*.` };
    }
  }
}
