import { defineCommand } from './command-spec.js';
import { clip, refuse, valueFlag, word } from './grammar.js';

/**
 * The override subcommands besides `oncall override` itself (command-specs.ts lists them all in
 * COMMAND_SPECS). Who may place or cancel one depends on the schedule, so the handler asks
 * escalation/override-access.ts (access tag `override`).
 */

const SCHEDULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** `--schedule <name>`, shared by the override commands. */
export const scheduleFlag = () =>
  valueFlag(
    ['schedule'],
    '<schedule>',
    '`--schedule` needs a schedule name, e.g. `--schedule primary`.',
    (value) => (SCHEDULE_NAME.test(value) ? value : refuse(`"${clip(value, 30)}" is not a schedule name.`)),
  );

/** `<id>`: a positive whole number (an override's, a cover request's); `notAnId` gets the input, clipped. */
export const idWord = (noun: string, notAnId: (input: string) => string) =>
  word('<id>', noun, (input) =>
    /^\d{1,12}$/.test(input) && Number(input) > 0 ? Number(input) : refuse(notAnId(clip(input, 20))),
  );

export const oncallOverrides = defineCommand({
  name: 'oncall-overrides',
  verbs: ['oncall overrides', 'on-call overrides'],
  summary: 'current and future overrides, with their ids',
  access: 'anyone',
  scope: 'global',
  flags: { schedule: scheduleFlag() },
});

export const oncallOverrideCancel = defineCommand({
  name: 'oncall-override-cancel',
  verbs: ['oncall override cancel', 'on-call override cancel'],
  summary: 'cancel an override at once (admins, whoever placed it, or the person covering)',
  access: 'override',
  scope: 'global',
  args: {
    id: idWord(
      'an override id',
      (input) =>
        `"${input}" is not an override id: \`/incident oncall overrides\` lists them with their ids.`,
    ),
  },
});
