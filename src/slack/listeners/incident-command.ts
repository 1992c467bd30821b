import type { App } from '@slack/bolt';
import type { CommandAnswer, CommandDeps } from '../commands/command-handler.js';
import { parseIncidentCommand, USAGE } from '../commands/parse-command.js';
import { opensModal, runCommand } from '../commands/run-command.js';
import { raceDeadline } from './deadline.js';
import { userFacingError } from './reply.js';

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
