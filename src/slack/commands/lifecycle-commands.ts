import { mrkdwn } from '../views/escape.js';
import { buildIncidentHeadline } from '../views/incident-headline.js';
import { buildCloseModal } from '../views/lifecycle-modals.js';
import { buildTimelineMessage } from '../views/timeline-view.js';
import { handlers } from './command-handler.js';

/** The commands that run an incident from its channel; the incident arrives resolved and access-checked. */
export const lifecycleHandlers = handlers({
  status: {
    async run(cmd, { incident, command, deps }) {
      const updated = await deps.lifecycle.setStatus(incident.id, cmd.status, command.user_id);
      return { text: `Incident #${updated.number} is now *${updated.status}*.` };
    },
  },
  severity: {
    async run(cmd, { incident, command, deps }) {
      const updated = await deps.lifecycle.setSeverity(incident.id, cmd.severity, command.user_id);
      return { text: `Incident #${updated.number} is now *${updated.severity}*.` };
    },
  },
  role: {
    async run(cmd, { incident, command, deps }) {
      await deps.lifecycle.assignRole(incident.id, cmd.role, cmd.userId, command.user_id);
      return { text: `<@${cmd.userId}> is now ${cmd.role} of incident #${incident.number}.` };
    },
  },
  update: {
    async run(cmd, { incident, command, deps }) {
      await deps.lifecycle.postUpdate(incident.id, cmd.text, command.user_id);
      return { text: `Update posted to incident #${incident.number}.` };
    },
  },
  note: {
    async run(cmd, { incident, command, deps }) {
      await deps.lifecycle.addNote(incident.id, cmd.text, command.user_id);
      return { text: `:memo: Noted on the timeline of incident #${incident.number}.` };
    },
  },
  link: {
    async run(cmd, { incident, command, deps }) {
      await deps.lifecycle.addLink(incident.id, cmd.link, command.user_id);
      return {
        text: `:link: Link added to incident #${incident.number}: bookmarked in its channel and on the timeline.`,
      };
    },
  },
  followup: {
    async run(cmd, { incident, command, deps }) {
      const followup = await deps.lifecycle.addFollowup(
        incident.id,
        { text: cmd.text, ownerId: cmd.ownerId, dueDate: cmd.dueDate },
        command.user_id,
      );
      const owner = followup.ownerId ? ` — owner <@${followup.ownerId}>` : '';
      const due = followup.dueDate ? `, due ${followup.dueDate}` : '';
      return {
        text: `:white_check_mark: Follow-up #${followup.id} added to incident #${incident.number}: ${mrkdwn(followup.text)}${owner}${due}.`,
      };
    },
  },
  timeline: {
    async run(cmd, { incident, deps }) {
      const events = await deps.lifecycle.timeline(incident.id);
      return buildTimelineMessage(incident, events, cmd.page);
    },
  },
  show: {
    async run(_cmd, { incident, deps }) {
      const card = buildIncidentHeadline(incident, await deps.readModel.cardPaging(incident));
      // The card without its buttons: this copy is only for the person who asked.
      return { text: card.text, blocks: card.blocks.filter((b) => b.type !== 'actions') };
    },
  },
  resolve: {
    async run(_cmd, { incident, command, deps }) {
      const updated = await deps.lifecycle.setStatus(incident.id, 'resolved', command.user_id);
      return {
        text: `Incident #${updated.number} is now *resolved*. Paging and reminders stopped. \`/incident close\` when you are done.`,
      };
    },
  },
  close: {
    // Without a resolution the close form opens, like declare's.
    opensModal: (cmd) => cmd.resolution === null,
    async run(cmd, { incident, command, client, deps }) {
      if (cmd.resolution === null) {
        if (incident.status === 'closed') {
          return {
            text: `Incident #${incident.number} is already closed. \`/incident postmortem\` regenerates its draft.`,
          };
        }
        await client.views.open({ trigger_id: command.trigger_id, view: buildCloseModal(incident) });
        return null;
      }
      const closed = await deps.lifecycle.close(incident.id, { resolution: cmd.resolution }, command.user_id);
      return {
        text: `Incident #${closed.number} is closed. The postmortem draft is on its way to <#${closed.channelId}>.`,
      };
    },
  },
  postmortem: {
    async run(_cmd, { incident, command, deps }) {
      const current = await deps.readModel.findCurrentDraft(incident.id);
      if (current) {
        return {
          text: `Nothing has changed in incident #${incident.number} since its last postmortem draft (generated <!date^${Math.floor(current.generatedAt.getTime() / 1000)}^{date_short_pretty} {time}|${current.generatedAt.toISOString()}>), so it was not regenerated.${incident.channelId ? ` That draft is the one in <#${incident.channelId}>.` : ''}`,
        };
      }
      await deps.lifecycle.regeneratePostmortem(incident.id, command.user_id);
      return {
        text: `Regenerating the postmortem draft of incident #${incident.number} from the latest data.`,
      };
    },
  },
  reopen: {
    async run(_cmd, { incident, command, deps }) {
      const updated = await deps.lifecycle.reopen(incident.id, command.user_id);
      return { text: `Incident #${updated.number} is reopened and back to *investigating*.` };
    },
  },
});
