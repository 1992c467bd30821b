import type { OverrideRefusal } from '../../escalation/override-access.js';
import type { CancelResult, PlaceResult } from '../../escalation/override-service.js';
import { identify } from '../user-identity.js';
import { slackDate } from '../views/format.js';
import { buildOverrideList, cancelHint, personMention } from '../views/override-messages.js';
import { handlers, pagingConfigured } from './command-handler.js';

/** `/incident oncall override|overrides|override cancel`: who may is decided by escalation/override-access.ts. */
export const overrideHandlers = handlers({
  'oncall-override': {
    async run(cmd, { command, client, deps }) {
      const { overrides, oncall } = pagingConfigured(deps, 'overrides');
      const [actor, person] = await Promise.all([
        identify(client, command.user_id),
        cmd.userId === command.user_id ? null : identify(client, cmd.userId),
      ]);
      const result = await overrides.place({
        actor,
        person: person ?? actor,
        schedule: cmd.schedule,
        durationMs: cmd.durationMs,
      });
      if (result.ok) {
        const [first] = result.overrides;
        const names = result.overrides.map((o) => `*${o.schedule}* (override ${o.id})`).join(', ');
        return {
          text: `:repeat: ${personMention(cmd.userId)} is on call for ${names} until ${slackDate(first!.endsAt)}. Cancel with ${cancelHint(first!.id)}.`,
        };
      }
      return { text: placeRefusal(result, cmd, oncall.schedules) };
    },
  },
  'oncall-overrides': {
    async run(cmd, { deps }) {
      const { overrides, oncall } = pagingConfigured(deps, 'overrides');
      if (cmd.schedule && !oncall.schedules[cmd.schedule])
        return { text: unknownSchedule(cmd.schedule, oncall.schedules) };
      return buildOverrideList(await overrides.list(cmd.schedule), deps.clock.now(), cmd.schedule);
    },
  },
  'oncall-override-cancel': {
    async run(cmd, { command, client, deps }) {
      const { overrides } = pagingConfigured(deps, 'overrides');
      const result = await overrides.cancel(cmd.id, await identify(client, command.user_id));
      return { text: cancelAnswer(cmd.id, result) };
    },
  },
});

const REFUSALS: Record<OverrideRefusal, (schedule: string, person: string) => string> = {
  not_participant: (schedule) =>
    `:no_entry: Only the admins named in \`oncall.yaml\` and participants of *${schedule}* can put someone on call for it.`,
  person_not_participant: (schedule, person) =>
    `:no_entry: ${person} is not a participant of *${schedule}*; only an admin can put someone outside the schedule on call for it.`,
  bad_window: () => 'An override lasts between 1 minute and 14 days, from now.',
};

function placeRefusal(
  result: Exclude<PlaceResult, { ok: true }>,
  cmd: { userId: string; durationText: string },
  schedules: Record<string, unknown>,
): string {
  const person = personMention(cmd.userId);
  if (result.reason === 'unknown_schedule') return unknownSchedule(result.schedule, schedules);
  if (result.reason === 'in_no_schedule')
    return `${person} is in no schedule; say which one: \`/incident oncall override ${person} ${cmd.durationText} --schedule <name>\`.`;
  return REFUSALS[result.reason](result.schedule, person);
}

function cancelAnswer(id: number, result: CancelResult): string {
  if (result.ok) {
    const o = result.override;
    return `:leftwards_arrow_with_hook: Cancelled override ${id}: ${personMention(o.userId)} is no longer on call for *${o.schedule}* through it.`;
  }
  if (result.reason === 'not_found')
    return `There is no current or future override ${id}; \`/incident oncall overrides\` lists them.`;
  return `:no_entry: Only an admin, whoever placed override ${id} or the person it puts on call can cancel it.`;
}

export function unknownSchedule(name: string, schedules: Record<string, unknown>): string {
  return `There is no schedule called "${name}". Schedules: ${Object.keys(schedules).join(', ') || 'none'}.`;
}
