import { parseLocalDateTime } from '../../escalation/local-date-time.js';
import { isValidTimeZone } from '../../escalation/wall-time.js';
import { identify, identifyWithTimeZone, slackIdOf } from '../user-identity.js';
import { askAnswer, cancelAnswer } from '../views/cover-answers.js';
import { handlers, pagingConfigured } from './command-handler.js';
import { unknownSchedule } from './override-commands.js';

/** `/incident oncall cover` and `oncall cover cancel`: the cover service decides who may. */
export const coverHandlers = handlers({
  'oncall-cover': {
    async run(cmd, { command, client, deps }) {
      const { cover, oncall } = pagingConfigured(deps, 'cover');
      const { identity, timeZone } = await identifyWithTimeZone(client, command.user_id);
      // The requester's Slack time zone; without one, the file's (else UTC), and the answer says which.
      const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : (oncall.timezone ?? 'UTC');
      const result = await cover.ask({
        requester: identity,
        schedule: cmd.schedule,
        from: parseLocalDateTime(cmd.fromText, zone)!,
        to: parseLocalDateTime(cmd.toText, zone)!,
        reason: cmd.reason,
      });
      const read = timeZone === zone ? `your Slack time zone` : 'Slack has no time zone for you';
      // People named by email in oncall.yaml are mentioned by their Slack ids.
      if (result.ok)
        result.audience.people = await Promise.all(
          result.audience.people.map(async (p) => (await slackIdOf(client, p)) ?? p),
        );
      const answer = askAnswer(result, `(times read in ${zone}: ${read})`, (name) =>
        unknownSchedule(name, oncall.schedules),
      );
      return { text: answer };
    },
  },
  'oncall-cover-cancel': {
    async run(cmd, { command, client, deps }) {
      const { cover } = pagingConfigured(deps, 'cover');
      return { text: cancelAnswer(await cover.cancel(cmd.id, await identify(client, command.user_id))) };
    },
  },
});
