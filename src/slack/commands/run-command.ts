import type { App } from '@slack/bolt';
import { AppError } from '../../errors.js';
import type { Ability } from '../../incidents/access.js';
import { raceDeadline } from '../listeners/deadline.js';
import { userFacingError } from '../listeners/reply.js';
import { alertHandlers } from './alert-commands.js';
import type {
  CommandAnswer,
  CommandContext,
  CommandDeps,
  CommandHandler,
  CommandHandlers,
} from './command-handler.js';
import type { Access, CommandSpec } from './command-spec.js';
import { COMMAND_SPECS } from './command-specs.js';
import { coverHandlers } from './cover-commands.js';
import { generalHandlers } from './general-commands.js';
import { incidentFor, missingIncidentText } from './incident-context.js';
import { lifecycleHandlers } from './lifecycle-commands.js';
import { overrideHandlers } from './override-commands.js';
import { pagingHandlers } from './paging-commands.js';
import { type IncidentCommand, parseIncidentCommand, USAGE } from './parse-command.js';

/** Every command's handler; the type refuses a declared command without one. */
export const COMMAND_HANDLERS: CommandHandlers = {
  ...generalHandlers,
  ...pagingHandlers,
  ...lifecycleHandlers,
  ...overrideHandlers,
  ...alertHandlers,
  ...coverHandlers,
};

const SPECS = new Map<string, CommandSpec>(COMMAND_SPECS.map((s) => [s.name, s]));

/** The ability an incident command's tag asks for. */
const ABILITY: Partial<Record<Access, Ability>> = {
  viewer: 'view',
  changer: 'change',
  pager: 'page',
  escalator: 'escalate',
};

// One cast where the union meets the map: each handler is typed by its own command above.
const handlerFor = (cmd: IncidentCommand) => COMMAND_HANDLERS[cmd.name] as CommandHandler<IncidentCommand>;

export function opensModal(cmd: IncidentCommand): boolean {
  return handlerFor(cmd).opensModal?.(cmd) ?? false;
}

/**
 * Runs a parsed command: finds the incident an incident command acts on, applies the spec's access
 * rule (the one place commands are checked), then calls its handler. Someone who may not view the
 * incident is told exactly what a missing incident gets.
 */
export async function runCommand(
  cmd: IncidentCommand,
  context: CommandContext,
): Promise<CommandAnswer | null> {
  const spec = SPECS.get(cmd.name)!;
  const { command, client, deps } = context;
  const handler = handlerFor(cmd);
  if (spec.access === 'admin' && !deps.access.isAdmin(command.user_id)) {
    throw new AppError('forbidden', `${command.user_id} is not an admin`, {
      userMessage: ':no_entry: Only the admins named in `oncall.yaml` can do that.',
    });
  }
  if (!('reference' in cmd)) return handler.run(cmd, context as never);
  const incident = await incidentFor(cmd.reference, command.channel_id, deps.incidents);
  await deps.access.require(incident, command.user_id, ABILITY[spec.access] ?? 'view', client, {
    hidden: missingIncidentText(cmd.reference),
    what: spec.what?.(cmd) ?? `use \`/incident ${spec.name}\` on this incident`,
  });
  return handler.run(cmd, { ...context, incident } as never);
}

type Reply = { response_type: 'ephemeral'; text: string; blocks?: unknown[] };

function ephemeral(answer: CommandAnswer): Reply {
  return {
    response_type: 'ephemeral',
    text: answer.text,
    ...(answer.blocks ? { blocks: answer.blocks } : {}),
  };
}

/** `/incident …`: parse, do one thing, answer inside Slack's 3 s with an ephemeral reply. */
export function registerIncidentCommand(app: App, deps: CommandDeps): void {
  app.command('/incident', async ({ command, ack, client, respond }) => {
    const parsed = parseIncidentCommand(command.text ?? '');
    if (!parsed.ok) {
      await ack(ephemeral({ text: `:warning: ${parsed.error}\n\n${parsed.usage}` }));
      return;
    }
    const cmd = parsed.command;
    if (cmd.name === 'help' && cmd.topic === null) {
      // The hot path (and the ack benchmark's): nothing to wait for, so no deadline race.
      await ack(ephemeral({ text: USAGE }));
      return;
    }
    const context = { command, client, deps };
    const failure = (error: unknown): CommandAnswer => ({
      text: userFacingError(error, deps.logger, { command: cmd.name, user: command.user_id }),
    });
    if (opensModal(cmd)) {
      // Trigger ids live 3 s: ack now; the checks run and the form opens at once, answers go to response_url.
      await ack();
      const answer = await runCommand(cmd, context).catch(failure);
      if (answer) await respond(ephemeral(answer)).catch(() => {});
      return;
    }
    const work = runCommand(cmd, context).catch(failure);
    const raced = await raceDeadline(work);
    if (raced.done) {
      await ack(ephemeral(raced.value ?? { text: 'Done.' }));
      return;
    }
    // A slow database must not make Slack show a timeout: answer now, follow up on response_url.
    await ack(
      ephemeral({
        text: ':hourglass_flowing_sand: Working on it… this is taking longer than usual; I will answer here.',
      }),
    );
    await respond(ephemeral((await raced.pending) ?? { text: 'Done.' })).catch((error) =>
      deps.logger.warn({ err: error }, 'could not deliver a late answer'),
    );
  });
}
