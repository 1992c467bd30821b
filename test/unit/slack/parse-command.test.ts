import type { IncidentCommand } from '../../../src/slack/commands/parse-command.js';
import { BOB, CAROL, create, override, table } from './parse-table.js';

/** Table-driven: every valid form of each subcommand, and each invalid form with its exact message. */
table(
  'create',
  [
    [
      'create --severity SEV2 --title "API Latency Spike"',
      create({ title: 'API Latency Spike', severity: 'SEV2' }),
    ],
    ['create Checkout is down', create({ title: 'Checkout is down' })],
    ['declare Checkout is down', create({ title: 'Checkout is down' })],
    ['new  Checkout   is down ', create({ title: 'Checkout is down' })],
    ['OPEN Checkout', create({ title: 'Checkout' })],
    ['create', create({})],
    ['create --severity SEV1', create({ severity: 'SEV1' })],
    ['create --sev 2 Outage', create({ title: 'Outage', severity: 'SEV2' })],
    ['create --severity=sev-3 Outage', create({ title: 'Outage', severity: 'SEV3' })],
    ['create --SEVERITY sev4 Outage', create({ title: 'Outage', severity: 'SEV4' })],
    [
      'create --private DB failover --service billing-db',
      create({ title: 'DB failover', service: 'billing-db', isPrivate: true }),
    ],
    ['create --service=Checkout.API_2 Outage', create({ title: 'Outage', service: 'checkout.api_2' })],
    [
      'create —severity sev1 —title “Payments failing”',
      create({ title: 'Payments failing', severity: 'SEV1' }),
    ],
    ['create –private Outage', create({ title: 'Outage', isPrivate: true })],
    // Quote variants Slack clients and keyboards produce, straight, typographic and mixed.
    ['create --title “Payments failing"', create({ title: 'Payments failing' })],
    ['create --title "Payments failing”', create({ title: 'Payments failing' })],
    ['create --title ‘Payments failing’', create({ title: 'Payments failing' })],
    ['create --title «Payments failing»', create({ title: 'Payments failing' })],
    ['create --title „Payments failing“', create({ title: 'Payments failing' })],
    ['create --title „Payments failing”', create({ title: 'Payments failing' })],
    ['create --title »Payments failing«', create({ title: 'Payments failing' })],
    ["create --title 'Single quoted'", create({ title: 'Single quoted' })],
    ['create --title ‘Can’t log in’', create({ title: 'Can’t log in' })],
    ["create --title 'Can't log in'", create({ title: "Can't log in" })],
    ['create --title ‚Zahlung fehlgeschlagen‘', create({ title: 'Zahlung fehlgeschlagen' })],
    ['create --title="Payments failing"', create({ title: 'Payments failing' })],
    ['create --title=“Payments failing”', create({ title: 'Payments failing' })],
    ['create --title "  padded  "', create({ title: 'padded' })],
    ["create Can't log in", create({ title: "Can't log in" })],
    ['create 50% of “checkout” fails', create({ title: '50% of checkout fails' })],
    ['create\u00a0Checkout\u00a0down', create({ title: 'Checkout down' })],
    [
      'create Errors in <#C0123ABCD|payments> after <@U012ABCDEF|bob> deploy &amp; rollback &lt;v2&gt;',
      create({ title: 'Errors in #payments after @bob deploy & rollback <v2>' }),
    ],
    // A link's label hides its address: both are kept, as text.
    [
      'create <https://status.example.com|Status page> down',
      create({ title: 'Status page (https://status.example.com) down' }),
    ],
    [
      'create <http://status.example.com|status.example.com> down',
      create({ title: 'status.example.com down' }),
    ],
    ['create <https://status.example.com> down', create({ title: 'https://status.example.com down' })],
    ['create <!here> look', create({ title: '@here look' })],
    ['create <!subteam^S012AB|@oncall> look', create({ title: '@oncall look' })],
    // Typed markup is kept as the text it is (plain); every view escapes it on output.
    ['create &lt;!channel&gt; payments down', create({ title: '<!channel> payments down' })],
    ['create ping &lt;@U012ABCDEF&gt; now', create({ title: 'ping <@U012ABCDEF> now' })],
    ['create see &lt;#C0123ABCD&gt;', create({ title: 'see <#C0123ABCD>' })],
    ['create &lt;https://evil.example|bank&gt;', create({ title: '<https://evil.example|bank>' })],
    ['create &lt;!channel&gt; and &lt;v2&gt; &amp; more', create({ title: '<!channel> and <v2> & more' })],
    ['create &amp;lt;!channel&amp;gt;', create({ title: '&lt;!channel&gt;' })],
    [`create ${'x'.repeat(150)}`, create({ title: 'x'.repeat(150) })],
    [`create --title "${'é'.repeat(150)}"`, create({ title: 'é'.repeat(150) })],
    [`create ${'🔥'.repeat(150)}`, create({ title: '🔥'.repeat(150) })],
    // The limit is on what the title will read, after Slack's escaping is undone.
    [`create ${'&amp;'.repeat(150)}`, create({ title: '&'.repeat(150) })],
    ['create A -- B', create({ title: 'A -- B' })],
  ],
  [
    ['create --severity SEV9 --title x', '`--severity` must be SEV1, SEV2, SEV3 or SEV4 (got "SEV9").'],
    ['create --severity', '`--severity` needs a value: SEV1, SEV2, SEV3, SEV4.'],
    ['create --severity --private Outage', '`--severity` needs a value: SEV1, SEV2, SEV3, SEV4.'],
    ['create --severity SEV1 --sev SEV2 Outage', '`--severity` is given twice.'],
    ['create --title', '`--title` needs a value, e.g. `--title "API Latency Spike"`.'],
    ['create --title ""', '`--title` needs a value, e.g. `--title "API Latency Spike"`.'],
    ['create --title=', '`--title` needs a value, e.g. `--title "API Latency Spike"`.'],
    [
      'create --colour red Outage',
      'Unknown option `--colour`. Options are --severity, --title, --service and --private.',
    ],
    ['create --title "Unclosed', 'A quote is not closed: add the closing ".'],
    ['create --title «Unclosed', 'A quote is not closed: add the closing ».'],
    ['create --title "A" and more', 'Give the title either as text or with `--title`, not both.'],
    [`create ${'x'.repeat(151)}`, 'The title is 151 characters long; keep it to 150.'],
    [`create --title "${'é'.repeat(151)}"`, 'The title is 151 characters long; keep it to 150.'],
    [
      'create --service "bad name!" Outage',
      '`--service` must be a service name of letters, digits, `-`, `_` or `.` (got "bad name!").',
    ],
    ['create --service', '`--service` needs a service name, e.g. `--service checkout`.'],
    [
      'create --service -x Outage',
      '`--service` must be a service name of letters, digits, `-`, `_` or `.` (got "-x").',
    ],
    ['create --private=yes Outage', '`--private` takes no value.'],
    ['create --private --private Outage', '`--private` is given twice.'],
  ],
);

table(
  'help',
  [
    ['', { name: 'help', topic: null }],
    ['   ', { name: 'help', topic: null }],
    ['help', { name: 'help', topic: null }],
    ['HELP', { name: 'help', topic: null }],
    ['--help', { name: 'help', topic: null }],
    ['—help', { name: 'help', topic: null }],
    ['-h', { name: 'help', topic: null }],
    ['?', { name: 'help', topic: null }],
    ['help Status', { name: 'help', topic: 'status' }],
  ],
  [['help status now', 'Too many words: "now". Use `/incident help [command]`.']],
);

table(
  'list',
  [
    ['list', { name: 'list' }],
    ['ls', { name: 'list' }],
  ],
  [
    ['list everything', '`/incident list` takes no arguments.'],
    ['list --all', '`/incident list` takes no options (got `--all`).'],
  ],
);

table(
  'stats',
  [
    ['stats', { name: 'stats', windowDays: 30 }],
    ['stats 7d', { name: 'stats', windowDays: 7 }],
    ['stats 30D', { name: 'stats', windowDays: 30 }],
    ['stats 90d', { name: 'stats', windowDays: 90 }],
  ],
  [
    ['stats 14d', '`14d` is not a window: use 7d, 30d or 90d.'],
    ['stats 7d 30d', 'Too many words: "30d". Use `/incident stats [7d|30d|90d]`.'],
  ],
);

table(
  'oncall',
  [
    ['oncall', { name: 'oncall', schedule: null, at: null }],
    ['on-call', { name: 'oncall', schedule: null, at: null }],
    ['oncall --schedule primary', { name: 'oncall', schedule: 'primary', at: null }],
    ['oncall --at "2026-12-24 03:00"', { name: 'oncall', schedule: null, at: '2026-12-24 03:00' }],
    ['oncall --at 2026-12-24T3:05 --schedule s2', { name: 'oncall', schedule: 's2', at: '2026-12-24T3:05' }],
    ['oncall calendar', { name: 'oncall-calendar' }],
    ['On-Call Calendar', { name: 'oncall-calendar' }],
    ['oncall calendar reset', { name: 'oncall-calendar-reset' }],
    [`oncall override ${BOB} 2h`, override({}) as IncidentCommand],
    [`oncall OVERRIDE ${BOB} 2h`, override({}) as IncidentCommand],
    [
      `on-call override ${BOB} 1 day`,
      override({ durationText: '1 day', durationMs: 86_400_000 }) as IncidentCommand,
    ],
    [
      `oncall override ${BOB} 1h 30m --schedule secondary`,
      override({ durationText: '1h 30m', durationMs: 5_400_000, schedule: 'secondary' }) as IncidentCommand,
    ],
    [
      `oncall override ${BOB} --schedule=primary 30m`,
      override({ durationText: '30m', durationMs: 1_800_000, schedule: 'primary' }) as IncidentCommand,
    ],
    [`oncall override ${BOB} 1m`, override({ durationText: '1m', durationMs: 60_000 }) as IncidentCommand],
    [
      `oncall override ${BOB} 14d`,
      override({ durationText: '14d', durationMs: 14 * 86_400_000 }) as IncidentCommand,
    ],
    ['oncall override U012ABCDEF 2h', override({}) as IncidentCommand],
    ['oncall overrides', { name: 'oncall-overrides', schedule: null }],
    ['on-call overrides --schedule primary', { name: 'oncall-overrides', schedule: 'primary' }],
    ['oncall override cancel 12', { name: 'oncall-override-cancel', id: 12 }],
    ['oncall Override CANCEL 7', { name: 'oncall-override-cancel', id: 7 }],
  ],
  [
    [
      `oncall bogus ${BOB} 2h`,
      `Too many words: "bogus ${BOB} 2h". Use \`/incident oncall [--schedule <schedule>] [--at "YYYY-MM-DD HH:MM"]\`.`,
    ],
    ['oncall --at', '`--at` needs a date and time in quotes, e.g. `--at "2026-12-24 09:00"`.'],
    ...['tomorrow', '2026-12-24', '"2027-02-30 10:00"', '"2026-12-24 24:00"', '"2026-12-24 03:00Z"'].map(
      (at): [string, string] => [
        `oncall --at ${at}`,
        `\`--at\` takes a date and a 24-hour time that exist, like \`"2026-12-24 09:00"\` (in quotes; got "${at.replaceAll('"', '')}").`,
      ],
    ),
    ['oncall calendar now', '`/incident oncall calendar` takes no arguments.'],
    ['oncall calendar reset all', '`/incident oncall calendar reset` takes no arguments.'],
    ['oncall override bob 2h', 'I could not read "bob" as a person: pick them from Slack\'s @-mention list.'],
    [
      'oncall override @bob 2h',
      'I could not read "@bob" as a person: pick them from Slack\'s @-mention list.',
    ],
    [
      `oncall override ${BOB}`,
      '`/incident oncall override` needs a duration: `/incident oncall override @person <duration> [--schedule <schedule>]`.',
    ],
    [
      'oncall override',
      '`/incident oncall override` needs a person: `/incident oncall override @person <duration> [--schedule <schedule>]`.',
    ],
    [`oncall override ${BOB} forever`, '"forever" is not a duration: use e.g. `30m`, `2h`, `1 day`.'],
    [`oncall override ${BOB} 59s`, 'An override lasts between 1 minute and 14 days (got "59s").'],
    [`oncall override ${BOB} 15d`, 'An override lasts between 1 minute and 14 days (got "15d").'],
    [
      `oncall override ${BOB} 2h --schedule`,
      '`--schedule` needs a schedule name, e.g. `--schedule primary`.',
    ],
    [`oncall override ${BOB} 2h --schedule "no way"`, '"no way" is not a schedule name.'],
    [`oncall override ${BOB} 2h --team x`, 'Unknown option `--team`. Options are --schedule.'],
    ['oncall overrides --schedule', '`--schedule` needs a schedule name, e.g. `--schedule primary`.'],
    [
      'oncall overrides all',
      'Too many words: "all". Use `/incident oncall overrides [--schedule <schedule>]`.',
    ],
    [
      'oncall override cancel',
      '`/incident oncall override cancel` needs an override id: `/incident oncall override cancel <id>`.',
    ],
    ...['abc', '0', '#12', '-1', '1.5'].map(
      (id) =>
        [
          `oncall override cancel ${id}`,
          `"${id}" is not an override id: \`/incident oncall overrides\` lists them with their ids.`,
        ] as [string, string],
    ),
    ['oncall override cancel 3 4', 'Too many words: "4". Use `/incident oncall override cancel <id>`.'],
  ],
);

table(
  'page',
  [
    [`page ${BOB}`, { name: 'page', target: { kind: 'user', userId: 'U012ABCDEF' }, reference: null }],
    [
      `page ${CAROL} inc-3`,
      { name: 'page', target: { kind: 'user', userId: 'U0CAROL001' }, reference: 'inc-3' },
    ],
    [
      'page primary #12',
      { name: 'page', target: { kind: 'schedule', schedule: 'primary' }, reference: '#12' },
    ],
    [
      'page #12 db-oncall.eu',
      { name: 'page', target: { kind: 'schedule', schedule: 'db-oncall.eu' }, reference: '#12' },
    ],
  ],
  [
    ['page @bob', 'I could not read "@bob" as a person: pick them from Slack\'s @-mention list.'],
    ['page <#C0123|x>', 'I could not read "<#C0123|x>" as a person: pick them from Slack\'s @-mention list.'],
    ['page', '`/incident page` needs a person or a schedule: `/incident page @person|<schedule>`.'],
    ['page #12', '`/incident page` needs a person or a schedule: `/incident page @person|<schedule>`.'],
    ['page primary tomorrow', 'Too many words: "tomorrow". Use `/incident page @person|<schedule>`.'],
    ['page primary #12 #13', 'Too many words: "#13". Use `/incident page @person|<schedule>`.'],
    ['page "on call"', '"on call" is neither a person nor a schedule name.'],
  ],
);

table(
  'escalate',
  [
    ['escalate', { name: 'escalate', reference: null }],
    ['escalate inc-7', { name: 'escalate', reference: 'inc-7' }],
    ['escalate #7', { name: 'escalate', reference: '#7' }],
    ['escalate inc-7-checkout-down', { name: 'escalate', reference: 'inc-7-checkout-down' }],
  ],
  [
    [
      'escalate everything',
      '`/incident escalate` takes nothing but an incident reference, like `/incident escalate #12`.',
    ],
    [
      'escalate #7 #8',
      '`/incident escalate` takes nothing but an incident reference, like `/incident escalate #12`.',
    ],
    [
      'escalate 7',
      '`/incident escalate` takes nothing but an incident reference, like `/incident escalate #12`.',
    ],
  ],
);
