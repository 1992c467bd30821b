import { AppError } from '../../errors.js';
import { assertMayChange } from '../authorization.js';
import type { CommandAnswer, CommandContext, CommandHandler, CommandHandlers } from './command-handler.js';
import type { CommandSpec } from './command-spec.js';
import { COMMAND_SPECS } from './command-specs.js';
import { generalHandlers } from './general-commands.js';
import { incidentFor } from './incident-context.js';
import { lifecycleHandlers } from './lifecycle-commands.js';
import { overrideHandlers } from './override-commands.js';
import { pagingHandlers } from './paging-commands.js';
import type { IncidentCommand } from './parse-command.js';

/** Every command's handler; the type refuses a declared command without one. */
export const COMMAND_HANDLERS: CommandHandlers = {
  ...generalHandlers,
  ...pagingHandlers,
  ...lifecycleHandlers,
  ...overrideHandlers,
};

const SPECS = new Map<string, CommandSpec>(COMMAND_SPECS.map((s) => [s.name, s]));

// One cast where the union meets the map: each handler is typed by its own command above.
const handlerFor = (cmd: IncidentCommand) => COMMAND_HANDLERS[cmd.name] as CommandHandler<IncidentCommand>;

export function opensModal(cmd: IncidentCommand): boolean {
  return handlerFor(cmd).opensModal?.(cmd) ?? false;
}

/**
 * Runs a parsed command: finds the incident an incident command acts on, applies the spec's access
 * rule, then calls its handler.
 */
export async function runCommand(
  cmd: IncidentCommand,
  context: CommandContext,
): Promise<CommandAnswer | null> {
  const spec = SPECS.get(cmd.name)!;
  const { command, client, deps } = context;
  const handler = handlerFor(cmd);
  if (spec.access === 'admin' && !deps.admins.includes(command.user_id)) {
    throw new AppError('forbidden', `${command.user_id} is not an admin`, {
      userMessage: ':no_entry: Only the admins named in `oncall.yaml` can do that.',
    });
  }
  if (!('reference' in cmd)) return handler.run(cmd, context as never);
  const incident = await incidentFor(cmd.reference, command.channel_id, deps.incidents);
  if (spec.access === 'changer') {
    await assertMayChange(incident, command.user_id, {
      client,
      admins: deps.admins,
      what: spec.what?.(cmd) ?? `use \`/incident ${spec.name}\` on this incident`,
    });
  }
  return handler.run(cmd, { ...context, incident } as never);
}
