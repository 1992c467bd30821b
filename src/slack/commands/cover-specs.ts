import { LOCAL_DATE_TIME_EXAMPLE, parseLocalDateTime } from '../../escalation/local-date-time.js';
import { defineCommand } from './command-spec.js';
import { clip, Refusal, refuse, words } from './grammar.js';
import { idWord, scheduleFlag } from './override-specs.js';
import { slackToPlain } from './slack-words.js';
import { MAX_FREE_TEXT } from './text-arguments.js';

/**
 * `/incident oncall cover "<from>" "<to>" [reason]` and `oncall cover cancel <id>` (issue #14). The
 * times are read in the requester's Slack time zone, which only the handler knows: the grammar
 * checks that they are dates and times, the handler reads them (escalation/local-date-time.ts).
 * Whether the requester may ask depends on the schedule (access tag `override`, decided by the
 * cover service).
 */

const EXAMPLE = `"${LOCAL_DATE_TIME_EXAMPLE}" "2026-12-24 17:00"`;
const DATE_TIME = String.raw`\d{4}-\d{2}-\d{2}(?:T|\s+)\d{1,2}:\d{2}`;
/** Quotes are optional: `2026-12-24 09:00 2026-12-24 17:00 Dentist` reads the same. */
const WINDOW = new RegExp(String.raw`^(${DATE_TIME})\s+(${DATE_TIME})(?:\s+([\s\S]+))?$`);

const notAWindow = (input: string) =>
  refuse(
    `I could not read "${clip(input, 40)}" as a start and an end: write them like \`${EXAMPLE}\` (dates and 24-hour times in your own time zone), then the reason if you like.`,
  );

/** Start, end (as typed, checked to exist on the calendar) and the optional reason. */
function readWindow(input: string) {
  const match = WINDOW.exec(input.trim());
  if (!match) return notAWindow(input);
  const [, fromText, toText, reasonText] = match as unknown as [string, string, string, string | undefined];
  for (const text of [fromText, toText])
    if (!parseLocalDateTime(text, 'UTC'))
      return refuse(`"${clip(text, 30)}" is not a date and time that exists.`);
  const reason = reasonText === undefined ? null : slackToPlain(reasonText).trim() || null;
  if (reason !== null && reason.length > MAX_FREE_TEXT)
    return refuse(`Keep the reason to ${MAX_FREE_TEXT} characters.`);
  return { fromText, toText, reason };
}

export const oncallCover = defineCommand({
  name: 'oncall-cover',
  verbs: ['oncall cover', 'on-call cover'],
  summary:
    'ask the other participants of your schedule to take part of your shift (times in your time zone); the first to press *Take it* is put on call',
  examples: [`/incident oncall cover ${EXAMPLE} Dentist`],
  access: 'override',
  scope: 'global',
  args: {
    window: words('"<from>" "<to>" [reason]', `a start and an end, like \`${EXAMPLE}\``, (input) => {
      const read = readWindow(input);
      // `words` arguments carry text; the parts are read again in build.
      return read instanceof Refusal ? read : input;
    }),
  },
  flags: { schedule: scheduleFlag() },
  build: (v) => {
    const read = readWindow(v.window);
    return read instanceof Refusal ? read : { ...read, schedule: v.schedule };
  },
});

export const oncallCoverCancel = defineCommand({
  name: 'oncall-cover-cancel',
  verbs: ['oncall cover cancel', 'on-call cover cancel'],
  summary: 'withdraw your cover request while nobody has taken it',
  access: 'override',
  scope: 'global',
  args: {
    id: idWord(
      'a cover request id',
      (input) => `"${input}" is not a cover request id: your request's DM shows it.`,
    ),
  },
});
