import type { CoverRequest } from '../../escalation/cover-repo.js';
import type { AskResult, CancelResult, TakeResult, WindowProblem } from '../../escalation/cover-service.js';
import { listWords } from '../commands/grammar.js';
import { coverCancelHint } from './cover-messages.js';
import { slackDate } from './format.js';
import { personMention } from './override-messages.js';

/** What the person who typed `/incident oncall cover …` or pressed a cover button is answered. */

const WINDOW_PROBLEMS: Record<WindowProblem, string> = {
  ends_before_start: 'The end must come after the start.',
  started:
    'That window has already started: a cover request is for a shift to come. To hand over now, ask someone to run `/incident oncall override`.',
  too_long: 'A cover request lasts at most 14 days; ask for several.',
};

const window = (r: CoverRequest) => `from ${slackDate(r.startsAt)} until ${slackDate(r.endsAt)}`;

/** `read` says how the times were read: "(times read in Europe/Berlin, your Slack time zone)". */
export function askAnswer(
  result: AskResult,
  read: string,
  unknownSchedule: (name: string) => string,
): string {
  if (result.ok) {
    const { request: r, audience } = result;
    const where = audience.channel
      ? `posted in <#${audience.channel}>`
      : `sent to ${listWords(audience.people.map(personMention), 'and')}`;
    return `:sos: Asked for cover on *${r.schedule}* ${window(r)}: ${where}, with a *Take it* button. The first to take it is put on call for that window. Request ${r.id}; cancel it with ${coverCancelHint(r.id)}.`;
  }
  switch (result.reason) {
    case 'unknown_schedule':
      return unknownSchedule(result.schedule);
    case 'bad_window':
      return `${WINDOW_PROBLEMS[result.problem]} ${read}`;
    case 'not_on_call':
      return result.schedule
        ? `You are not on call on *${result.schedule}* in that window ${read}, so there is nothing to cover there. \`/incident oncall\` shows who is.`
        : `You are not on call on any schedule in that window ${read}, so there is nothing to cover. \`/incident oncall\` shows who is.`;
    case 'ambiguous':
      return `You are on call on ${listWords(
        result.schedules.map((s) => `*${s}*`),
        'and',
      )} in that window: say which with \`--schedule <name>\`, one request per schedule.`;
    case 'nobody_to_ask':
      return `*${result.schedule}* has no team channel and nobody else in it to ask; an admin can put someone on call with \`/incident oncall override\`.`;
    case 'duplicate':
      return `You already asked for cover on *${result.request.schedule}* ${window(result.request)} (request ${result.request.id}); cancel it with ${coverCancelHint(result.request.id)} to ask again.`;
  }
}

/** Refusals shared by the buttons and the cancel command. */
export function closedAnswer(result: Exclude<TakeResult | CancelResult, { ok: true }>): string {
  switch (result.reason) {
    case 'outsider':
      return ':no_entry: Only the participants of a schedule and the admins named in `oncall.yaml` can take or cancel its cover requests.';
    case 'not_found':
      return 'That cover request no longer exists.';
    case 'closed': {
      const r = result.request;
      if (r.status === 'taken') return `<@${r.closedBy}> already took this cover request.`;
      if (r.status === 'cancelled') return 'This cover request was cancelled.';
      return `This cover request expired: its window started ${slackDate(r.startsAt)} and nobody had taken it.`;
    }
    case 'own_request':
      return 'That is your own request: someone else needs to take it. You can cancel it instead.';
    case 'not_participant':
      return `:no_entry: Only the other participants of *${result.request.schedule}* and the admins can take this request.`;
    case 'forbidden':
      return ':no_entry: Only whoever asked for cover, or an admin, can cancel the request.';
  }
}

export function cancelAnswer(result: CancelResult): string {
  return result.ok
    ? `:leftwards_arrow_with_hook: Cancelled cover request ${result.request.id} on *${result.request.schedule}*; its copies say so.`
    : closedAnswer(result);
}

export function takeAnswer(result: TakeResult): string {
  if (!result.ok) return closedAnswer(result);
  const { request: r, override } = result;
  return `:white_check_mark: You are on call for *${r.schedule}* ${window(r)} instead of <@${r.requestedBy}> (override ${override.id}).`;
}
