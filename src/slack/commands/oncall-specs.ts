import { defineCommand } from './command-spec.js';
import { clip, refuse, valueFlag } from './grammar.js';
import { scheduleFlag } from './override-specs.js';

/**
 * `/incident oncall` and its calendar subcommands (command-specs.ts lists them all in COMMAND_SPECS).
 * `oncall` asks nothing of anyone: what it shows (who is on call, everywhere) is open to the workspace.
 */

/** `2026-12-24 03:00`, `2026-12-24T03:00` or a date alone (its midnight), normalised to ISO. */
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?$/;

export function readLocalTime(input: string): string | null {
  const match = LOCAL_TIME.exec(input.trim());
  if (!match) return null;
  const [, date, hour, minute] = match;
  return hour === undefined ? `${date}T00:00` : `${date}T${hour.padStart(2, '0')}:${minute}`;
}

export const oncall = defineCommand({
  name: 'oncall',
  verbs: ['oncall', 'on-call'],
  summary: 'who is on call now and next, per schedule; `--at` tells who will be then, in your time zone',
  examples: ['/incident oncall --schedule primary --at "2026-12-24 03:00"'],
  access: 'anyone',
  scope: 'global',
  flags: {
    schedule: scheduleFlag(),
    at: valueFlag(
      ['at'],
      '"YYYY-MM-DD HH:MM"',
      '`--at` needs a date and time in quotes, e.g. `--at "2026-12-24 03:00"`.',
      (value) =>
        readLocalTime(value) ??
        refuse(
          `\`--at\` takes a date and time like \`"2026-12-24 03:00"\` (in quotes; got "${clip(value, 30)}").`,
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
