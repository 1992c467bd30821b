import type { App, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../clock.js';
import type { IncidentService } from '../../incidents/incident-service.js';
import { computeStats, listIncidentTimes } from '../../incidents/incident-stats.js';
import type { Incident, Severity } from '../../incidents/incident-types.js';
import type { Logger } from '../../logger.js';
import { assertMayChange } from '../authorization.js';
import { incidentFor } from '../commands/incident-context.js';
import { type LifecycleCommandDeps, runLifecycleCommand } from '../commands/lifecycle-commands.js';
import { type PagingCommandDeps, runPagingCommand } from '../commands/paging-commands.js';
import { type IncidentCommand, parseIncidentCommand, USAGE } from '../commands/parse-command.js';
import { buildDeclareModal } from '../views/declare-modal.js';
import { channelMention } from '../views/format.js';
import { buildIncidentList } from '../views/incident-list.js';
import { buildCloseModal } from '../views/lifecycle-modals.js';
import { buildStatsMessage } from '../views/stats-view.js';
import { raceDeadline } from './deadline.js';
import { userFacingError } from './reply.js';

export interface CommandDeps extends PagingCommandDeps, LifecycleCommandDeps {
  incidents: IncidentService;
  clock: Clock;
  logger: Logger;
  defaultSeverity: Severity;
}

type Reply = { response_type: 'ephemeral'; text: string; blocks?: unknown[] };

function ephemeral(text: string, blocks?: unknown[]): Reply {
  return { response_type: 'ephemeral', text, ...(blocks ? { blocks } : {}) };
}

/** `/incident …`: parse, do one thing, answer inside Slack's 3 s with an ephemeral reply. */
export function registerIncidentCommand(app: App, deps: CommandDeps): void {
  app.command('/incident', async ({ command, ack, client, respond }) => {
    const parsed = parseIncidentCommand(command.text ?? '');
    if (!parsed.ok) {
      await ack(ephemeral(`:warning: ${parsed.error}\n\n${USAGE}`));
      return;
    }
    const cmd = parsed.command;
    if (cmd.name === 'close' && cmd.resolution === null) {
      // Like declare: the form opens at once (trigger ids live 3 s); checks happen before it opens.
      await ack();
      try {
        const incident = await incidentFor(cmd.reference, command.channel_id, deps.incidents);
        await assertMayChange(incident, command.user_id, {
          client,
          admins: deps.admins,
          what: 'close this incident',
        });
        if (incident.status === 'closed') {
          await respond(
            ephemeral(
              `Incident #${incident.number} is already closed. \`/incident postmortem\` regenerates its draft.`,
            ),
          );
          return;
        }
        await client.views.open({ trigger_id: command.trigger_id, view: buildCloseModal(incident) });
      } catch (error) {
        await respond(
          ephemeral(userFacingError(error, deps.logger, { command: 'close', user: command.user_id })),
        ).catch(() => {});
      }
      return;
    }
    if (cmd.name === 'help') {
      // The hot path (and the ack benchmark's): nothing to wait for, so no deadline race.
      await ack(ephemeral(USAGE));
      return;
    }
    if (cmd.name === 'create' && cmd.title === null) {
      // Trigger ids live 3 s: ack, then open the modal at once.
      await ack();
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
      } catch (error) {
        deps.logger.warn({ err: error }, 'could not open the declare modal');
        await respond(
          ephemeral(
            ':warning: Slack did not let me open the form in time. Run `/incident create` again, or declare inline: `/incident create --severity SEV2 --title "What is broken"`.',
          ),
        ).catch(() => {});
      }
      return;
    }
    const failure = (error: unknown) =>
      ephemeral(userFacingError(error, deps.logger, { command: cmd.name, user: command.user_id }));
    const work = runCommand(cmd, command, client, deps).catch(failure);
    const raced = await raceDeadline(work);
    if (raced.done) {
      await ack(raced.value);
      return;
    }
    // A slow database must not make Slack show a timeout: answer now, follow up on response_url.
    await ack(
      ephemeral(
        ':hourglass_flowing_sand: Working on it… this is taking longer than usual; I will answer here.',
      ),
    );
    await respond(await raced.pending).catch((error) =>
      deps.logger.warn({ err: error }, 'could not deliver a late answer'),
    );
  });
}

async function runCommand(
  cmd: IncidentCommand,
  command: SlashCommand,
  client: WebClient,
  deps: CommandDeps,
): Promise<Reply> {
  switch (cmd.name) {
    case 'help':
      return ephemeral(USAGE);
    case 'list': {
      const open = await deps.incidents.listOpen();
      // Private incidents are listed only to the people who run them.
      const visible = open.filter(
        (i) => !i.isPrivate || i.reporterId === command.user_id || i.commanderId === command.user_id,
      );
      const view = buildIncidentList(visible, deps.clock.now());
      return ephemeral(view.text, view.blocks);
    }
    case 'create': {
      const { incident, created } = await deps.incidents.declare(
        {
          title: cmd.title!,
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
      return ephemeral(declaredMessage(incident, created));
    }
    case 'stats': {
      const since = new Date(deps.clock.now().getTime() - cmd.windowDays * 86_400_000);
      const view = buildStatsMessage(computeStats(await listIncidentTimes(deps.pool, since)), cmd.windowDays);
      return ephemeral(view.text, view.blocks);
    }
    case 'page':
    case 'escalate':
    case 'oncall':
    case 'oncall-override':
      return ephemeral(await runPagingCommand(cmd, command, deps));
    default: {
      const answer = await runLifecycleCommand(cmd, command, client, deps);
      return ephemeral(answer.text, answer.blocks);
    }
  }
}

export function declaredMessage(incident: Incident, created: boolean): string {
  const where = incident.channelId ? channelMention(incident.channelId) : 'its channel is being created';
  const lead = created ? ':rotating_light: Declared' : 'Already declared:';
  return `${lead} incident #${incident.number} — *${incident.title}* (${incident.severity}${incident.isPrivate ? ', private' : ''}). ${incident.channelId ? `Join ${where}.` : `${where[0]!.toUpperCase()}${where.slice(1)}; I will post the link here.`}`;
}
