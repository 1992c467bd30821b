import { LOCAL_DATE_TIME_EXAMPLE, parseLocalDateTime } from '../../escalation/local-date-time.js';
import { defineCommand } from './command-spec.js';
import { clip, refuse, valueFlag } from './grammar.js';
import { scheduleFlag } from './override-specs.js';

/**
 * `/incident oncall` and its calendar subcommands (command-specs.ts lists them all in COMMAND_SPECS).
 * `oncall` asks nothing of anyone: what it shows (who is on call, everywhere) is open to the workspace.
 */

export const oncall = defineCommand({
  name: 'oncall',
  verbs: ['oncall', 'on-call'],
  summary: 'who is on call now and next, per schedule; `--at` tells who will be then, in your time zone',
  examples: [`/incident oncall --schedule primary --at "${LOCAL_DATE_TIME_EXAMPLE}"`],
  access: 'anyone',
  scope: 'global',
  flags: {
    schedule: scheduleFlag(),
    // The asker's time zone is the handler's to know: here, only that the date and time exist.
    at: valueFlag(
      ['at'],
      '"YYYY-MM-DD HH:MM"',
      `\`--at\` needs a date and time in quotes, e.g. \`--at "${LOCAL_DATE_TIME_EXAMPLE}"\`.`,
      (value) =>
        parseLocalDateTime(value, 'UTC')
          ? value.trim()
          : refuse(
              `\`--at\` takes a date and a 24-hour time that exist, like \`"${LOCAL_DATE_TIME_EXAMPLE}"\` (in quotes; got "${clip(value, 30)}").`,
            ),
    ),
  },
});

export const oncallCalendar = defineCommand({
  name: 'oncall-calendar',
  verbs: ['oncall calendar', 'on-call calendar'],
  summary: 'DMs you calendar feed links: your own shifts on every schedule, and one per schedule',
  access: 'anyone',
  scope: 'global',
});

export const oncallCalendarReset = defineCommand({
  name: 'oncall-calendar-reset',
  verbs: ['oncall calendar reset', 'on-call calendar reset'],
  summary: 'revoke every calendar link you were given',
  access: 'anyone',
  scope: 'global',
});

export const oncallMe = defineCommand({
  name: 'oncall-me',
  verbs: ['oncall me', 'on-call me'],
  summary: 'your notification rules (steps, quiet hours, providers), with a *Send test* button per channel',
  // Only your own rules: who you are comes from Slack, never from the command text.
  access: 'anyone',
  scope: 'global',
});
