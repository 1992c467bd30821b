import type { IncidentCommand } from '../../../../src/slack/commands/parse-command.js';
import { table } from '../parse-table.js';

const cover = (over: object) =>
  ({
    name: 'oncall-cover',
    fromText: '2026-12-24 09:00',
    toText: '2026-12-24 17:00',
    reason: null,
    schedule: null,
    ...over,
  }) as IncidentCommand;

const syntax = '`/incident oncall cover "<from>" "<to>" [reason] [--schedule <schedule>]`';

table(
  'oncall cover',
  [
    ['oncall cover "2026-12-24 09:00" "2026-12-24 17:00"', cover({})],
    ['on-call cover “2026-12-24 09:00” “2026-12-24 17:00”', cover({})],
    // Quotes are optional.
    ['oncall cover 2026-12-24 09:00 2026-12-24 17:00', cover({})],
    [
      'oncall cover 2026-12-24T9:00 "2026-12-24 17:00" --schedule primary Dentist, back at five',
      cover({ fromText: '2026-12-24T9:00', reason: 'Dentist, back at five', schedule: 'primary' }),
    ],
    [
      'oncall cover --schedule=secondary "2026-12-24 09:00" "2026-12-24 17:00" Dentist',
      cover({ reason: 'Dentist', schedule: 'secondary' }),
    ],
    // As Slack sends it: `<!here>` typed literally arrives escaped and is kept as the text typed.
    [
      'oncall cover "2026-12-24 09:00" "2026-12-24 17:00" &lt;!here&gt; &amp; <!channel>',
      cover({ reason: '<!here> & @channel' }),
    ],
    ['oncall cover cancel 12', { name: 'oncall-cover-cancel', id: 12 }],
  ],
  [
    [
      'oncall cover',
      `\`/incident oncall cover\` needs a start and an end, like \`"2026-12-24 09:00" "2026-12-24 17:00"\`: ${syntax}.`,
    ],
    [
      'oncall cover tomorrow',
      'I could not read "tomorrow" as a start and an end: write them like `"2026-12-24 09:00" "2026-12-24 17:00"` (dates and 24-hour times in your own time zone), then the reason if you like.',
    ],
    [
      'oncall cover "2026-12-24 09:00"',
      'I could not read "2026-12-24 09:00" as a start and an end: write them like `"2026-12-24 09:00" "2026-12-24 17:00"` (dates and 24-hour times in your own time zone), then the reason if you like.',
    ],
    [
      'oncall cover "2026-12-24 09:00" "2026-12-32 17:00"',
      '"2026-12-32 17:00" is not a date and time that exists.',
    ],
    [
      'oncall cover "2026-12-24 25:00" "2026-12-24 17:00"',
      '"2026-12-24 25:00" is not a date and time that exists.',
    ],
    [
      `oncall cover "2026-12-24 09:00" "2026-12-24 17:00" ${'x'.repeat(3001)}`,
      'Keep the reason to 3000 characters.',
    ],
    [
      'oncall cover "2026-12-24 09:00" "2026-12-24 17:00" --schedule',
      '`--schedule` needs a schedule name, e.g. `--schedule primary`.',
    ],
    ['oncall cover cancel first', '"first" is not a cover request id: your request\'s DM shows it.'],
  ],
);
