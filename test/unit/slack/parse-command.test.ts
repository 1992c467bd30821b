import { describe, expect, it } from 'vitest';
import { type IncidentCommand, parseIncidentCommand } from '../../../src/slack/commands/parse-command.js';

/** Table-driven: every valid form of each subcommand, and each invalid form with its exact message. */
const BOB = '<@U012ABCDEF|bob>';
const CAROL = '<@U0CAROL001>';

function command(text: string): IncidentCommand {
  const result = parseIncidentCommand(text);
  if (!result.ok) throw new Error(`expected a command for ${JSON.stringify(text)}, got: ${result.error}`);
  return result.command;
}
function error(text: string): string {
  const result = parseIncidentCommand(text);
  if (result.ok)
    throw new Error(`expected an error for ${JSON.stringify(text)}, got ${JSON.stringify(result)}`);
  return result.error;
}

type Valid = [string, IncidentCommand];
type Invalid = [string, string];

function table(name: string, valid: Valid[], invalid: Invalid[]): void {
  describe(`/incident ${name}`, () => {
    it.each(valid)('reads %j', (text, expected) => expect(command(text)).toEqual(expected));
    if (invalid.length > 0)
      it.each(invalid)('refuses %j with what to fix', (text, message) => expect(error(text)).toBe(message));
  });
}

const create = (over: Partial<Extract<IncidentCommand, { name: 'create' }>>): IncidentCommand => ({
  name: 'create',
  title: null,
  severity: null,
  service: null,
  isPrivate: false,
  ...over,
});

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
    ['create <https://status.example.com|Status page> down', create({ title: 'Status page down' })],
    ['create <https://status.example.com> down', create({ title: 'https://status.example.com down' })],
    ['create <!here> look', create({ title: 'here look' })],
    // Typed text that would become a live mention or link stays escaped.
    ['create &lt;!channel&gt; payments down', create({ title: '&lt;!channel&gt; payments down' })],
    ['create ping &lt;@U012ABCDEF&gt; now', create({ title: 'ping &lt;@U012ABCDEF&gt; now' })],
    ['create see &lt;#C0123ABCD&gt;', create({ title: 'see &lt;#C0123ABCD&gt;' })],
    ['create &lt;https://evil.example|bank&gt;', create({ title: '&lt;https://evil.example|bank&gt;' })],
    [
      'create &lt;!channel&gt; and &lt;v2&gt; &amp; more',
      create({ title: '&lt;!channel&gt; and <v2> & more' }),
    ],
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

const override = (over: object) => ({
  name: 'oncall-override',
  userId: 'U012ABCDEF',
  durationText: '2h',
  durationMs: 7_200_000,
  schedule: null,
  ...over,
});

table(
  'oncall',
  [
    ['oncall', { name: 'oncall' }],
    ['on-call', { name: 'oncall' }],
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
  ],
  [
    [`oncall bogus ${BOB} 2h`, '`/incident oncall` takes no arguments.'],
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
    [`oncall override ${BOB} 59s`, 'An override lasts from 1 minute to 14 days (got "59s").'],
    [`oncall override ${BOB} 15d`, 'An override lasts from 1 minute to 14 days (got "15d").'],
    [
      `oncall override ${BOB} 2h --schedule`,
      '`--schedule` needs a schedule name, e.g. `--schedule primary`.',
    ],
    [`oncall override ${BOB} 2h --schedule "no way"`, '"no way" is not a schedule name.'],
    [`oncall override ${BOB} 2h --team x`, 'Unknown option `--team`. Options are --schedule.'],
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

table(
  'status',
  [
    ['status investigating', { name: 'status', status: 'investigating', reference: null }],
    ['status identified', { name: 'status', status: 'identified', reference: null }],
    ['status Monitoring #4', { name: 'status', status: 'monitoring', reference: '#4' }],
    ['status #4 resolved', { name: 'status', status: 'resolved', reference: '#4' }],
  ],
  [
    ['status garbage', '`garbage` is not a status: use investigating, identified, monitoring or resolved.'],
    ['status closed', '`closed` is not a status: use investigating, identified, monitoring or resolved.'],
    [
      'status',
      '`/incident status` needs a status: `/incident status investigating|identified|monitoring|resolved`.',
    ],
    [
      'status identified now',
      'Too many words: "now". Use `/incident status investigating|identified|monitoring|resolved`.',
    ],
    ['status identified --force', '`/incident status` takes no options (got `--force`).'],
  ],
);

table(
  'severity',
  [
    ['severity SEV1', { name: 'severity', severity: 'SEV1', reference: null }],
    ['sev 2 inc-9', { name: 'severity', severity: 'SEV2', reference: 'inc-9' }],
    ['severity sev-3', { name: 'severity', severity: 'SEV3', reference: null }],
    ['severity sev4', { name: 'severity', severity: 'SEV4', reference: null }],
  ],
  [
    ['severity SEV5', '`SEV5` is not a severity: use SEV1, SEV2, SEV3, SEV4.'],
    ['severity high', '`high` is not a severity: use SEV1, SEV2, SEV3, SEV4.'],
    ['severity', '`/incident severity` needs a severity: `/incident severity SEV1|SEV2|SEV3|SEV4`.'],
  ],
);

table(
  'role',
  [
    [`role commander ${BOB}`, { name: 'role', role: 'commander', userId: 'U012ABCDEF', reference: null }],
    [`role Comms ${CAROL} #5`, { name: 'role', role: 'comms', userId: 'U0CAROL001', reference: '#5' }],
    [`role scribe ${BOB}`, { name: 'role', role: 'scribe', userId: 'U012ABCDEF', reference: null }],
  ],
  [
    [`role janitor ${BOB}`, '`janitor` is not a role: use commander, comms or scribe.'],
    ['role commander', '`/incident role` needs a person: `/incident role commander|comms|scribe @person`.'],
    ['role', '`/incident role` needs a role: `/incident role commander|comms|scribe @person`.'],
    ['role commander bob', 'I could not read "bob" as a person: pick them from Slack\'s @-mention list.'],
    [
      `role commander ${BOB} ${CAROL}`,
      `Too many words: "${CAROL}". Use \`/incident role commander|comms|scribe @person\`.`,
    ],
  ],
);

table(
  'update and note',
  [
    ['update Rolled back the deploy', { name: 'update', text: 'Rolled back the deploy', reference: null }],
    ['update #12 Rolled back', { name: 'update', text: 'Rolled back', reference: '#12' }],
    [
      'update inc-12 "quoted" & kept as typed',
      { name: 'update', text: '"quoted" & kept as typed', reference: 'inc-12' },
    ],
    ['update fixed, see #12', { name: 'update', text: 'fixed, see #12', reference: null }],
    ['update it is "unclosed', { name: 'update', text: 'it is "unclosed', reference: null }],
    ['note Cache hit rate dropped', { name: 'note', text: 'Cache hit rate dropped', reference: null }],
    [`note ${'n'.repeat(3000)}`, { name: 'note', text: 'n'.repeat(3000), reference: null }],
  ],
  [
    ['update', 'Write the update after the command: `/incident update Rolled back the deploy`.'],
    ['update #12', 'Write the update after the command: `/incident update Rolled back the deploy`.'],
    ['note   ', 'Write the note after the command: `/incident note Rolled back the deploy`.'],
    [`note ${'n'.repeat(3001)}`, 'Keep the note to 3000 characters.'],
    [`update ${'u'.repeat(3001)}`, 'Keep the update to 3000 characters.'],
  ],
);

const followup = (over: object) =>
  ({
    name: 'followup',
    text: 'Add an alert',
    ownerId: null,
    dueDate: null,
    reference: null,
    ...over,
  }) as IncidentCommand;

table(
  'followup',
  [
    ['followup Add an alert', followup({})],
    ['follow-up Add an alert', followup({})],
    ['action Add an alert', followup({})],
    [`followup Add an alert ${BOB}`, followup({ ownerId: 'U012ABCDEF' })],
    ['followup Add an alert due 2026-12-01', followup({ dueDate: '2026-12-01' })],
    [
      `followup Add an alert ${BOB} due 2028-02-29`,
      followup({ ownerId: 'U012ABCDEF', dueDate: '2028-02-29' }),
    ],
    [
      `followup #3 Add an alert DUE 2026-12-01 ${CAROL}`,
      followup({ ownerId: 'U0CAROL001', dueDate: '2026-12-01', reference: '#3' }),
    ],
    ['followup Add an alert due tomorrow', followup({ text: 'Add an alert due tomorrow' })],
    [
      'followup Fix &lt;!channel&gt; spam &amp; noise',
      followup({ text: 'Fix &lt;!channel&gt; spam & noise' }),
    ],
    [`followup Ask ${BOB} about it`, followup({ text: 'Ask @bob about it' })],
  ],
  [
    [
      'followup',
      'Write the action item: `/incident followup Add an alert on queue depth @owner due 2026-12-01`.',
    ],
    [
      `followup ${BOB} due 2026-12-01`,
      'Write the action item: `/incident followup Add an alert on queue depth @owner due 2026-12-01`.',
    ],
    ['followup Add an alert due 2026-02-30', '"2026-02-30" is not a date: use YYYY-MM-DD.'],
    ['followup Add an alert due 2027-02-29', '"2027-02-29" is not a date: use YYYY-MM-DD.'],
    ['followup Add an alert due 2026-13-01', '"2026-13-01" is not a date: use YYYY-MM-DD.'],
    [`followup ${'f'.repeat(3001)}`, 'Keep the action item to 3000 characters.'],
  ],
);

table(
  'timeline',
  [
    ['timeline', { name: 'timeline', page: 1, reference: null }],
    ['timeline 3', { name: 'timeline', page: 3, reference: null }],
    ['timeline #12', { name: 'timeline', page: 1, reference: '#12' }],
    ['timeline #12 2', { name: 'timeline', page: 2, reference: '#12' }],
    ['timeline 2 #12', { name: 'timeline', page: 2, reference: '#12' }],
    ['timeline inc-12 9999', { name: 'timeline', page: 9999, reference: 'inc-12' }],
  ],
  [
    ['timeline 0', '"0" is not a page number: use `/incident timeline [#12] [page]`.'],
    ['timeline two', '"two" is not a page number: use `/incident timeline [#12] [page]`.'],
    ['timeline 10000', '"10000" is not a page number: use `/incident timeline [#12] [page]`.'],
    ['timeline 2 3', 'Too many words: "3". Use `/incident timeline [page]`.'],
    ['timeline #12 #13', '"#13" is not a page number: use `/incident timeline [#12] [page]`.'],
  ],
);

table(
  'show, resolve, reopen and postmortem',
  [
    ['show', { name: 'show', reference: null }],
    ['resolve', { name: 'resolve', reference: null }],
    ['resolve #12', { name: 'resolve', reference: '#12' }],
    ['reopen inc-2', { name: 'reopen', reference: 'inc-2' }],
    ['postmortem inc-4', { name: 'postmortem', reference: 'inc-4' }],
  ],
  [
    [
      'resolve it now',
      '`/incident resolve` takes nothing but an incident reference, like `/incident resolve #12`.',
    ],
    ['show me', '`/incident show` takes nothing but an incident reference, like `/incident show #12`.'],
    [
      'reopen please',
      '`/incident reopen` takes nothing but an incident reference, like `/incident reopen #12`.',
    ],
    [
      'postmortem now',
      '`/incident postmortem` takes nothing but an incident reference, like `/incident postmortem #12`.',
    ],
  ],
);

table(
  'close',
  [
    ['close', { name: 'close', resolution: null, reference: null }],
    ['close #12', { name: 'close', resolution: null, reference: '#12' }],
    [
      'close --resolution "Rolled back to v1.2.3"',
      { name: 'close', resolution: 'Rolled back to v1.2.3', reference: null },
    ],
    ['close #12 --resolution=“Rolled back”', { name: 'close', resolution: 'Rolled back', reference: '#12' }],
    ['close —resolution Fixed inc-3', { name: 'close', resolution: 'Fixed', reference: 'inc-3' }],
  ],
  [
    ['close --resolution', '`--resolution` needs a value, e.g. `--resolution "Rolled back to v1.2.3"`.'],
    ['close --resolution " "', '`--resolution` needs a value, e.g. `--resolution "Rolled back to v1.2.3"`.'],
    ['close now please', 'Too many words: "now please". Use `/incident close [--resolution "…"]`.'],
    ['close --reason x', 'Unknown option `--reason`. Options are --resolution.'],
  ],
);

describe('unknown input', () => {
  it('names an unknown command back to the user, with the whole usage', () => {
    const result = parseIncidentCommand('explode now');
    expect(result).toMatchObject({ ok: false, error: 'Unknown command `explode`.' });
    expect(!result.ok && result.usage).toMatch(/^\*Usage:\* `\/incident <command>`/);
  });

  it('clips a long unknown word', () => {
    expect(error(`${'z'.repeat(60)} now`)).toBe(`Unknown command \`${'z'.repeat(40)}…\`.`);
  });

  it('shows the usage of the command that was mistyped, not all of them', () => {
    const result = parseIncidentCommand('role janitor <@U012ABCDEF>');
    if (result.ok) throw new Error('expected an error');
    expect(result.usage).toBe(
      '*Usage:*\n• `/incident role commander|comms|scribe @person` — assign a role\n_In the incident channel, or add the incident, like `#12`._',
    );
  });
});

// Edges that pin each rule of the grammar (each fails on a one-character change to it).
table(
  'create (edges)',
  [
    ['create A—B rollout stuck', create({ title: 'A—B rollout stuck' })],
    ['create Checkout down since #12', create({ title: 'Checkout down since #12' })],
    ['–help', { name: 'help', topic: null }],
  ],
  [['create --title "   " Outage', '`--title` needs a value, e.g. `--title "API Latency Spike"`.']],
);

table('oncall (edges)', [[`oncall  override ${BOB}  2h`, override({}) as IncidentCommand]], []);

table(
  'page (edges)',
  [
    [
      'page aU012ABCDEF',
      { name: 'page', target: { kind: 'schedule', schedule: 'aU012ABCDEF' }, reference: null },
    ],
    ['page W012ABCDEF', { name: 'page', target: { kind: 'user', userId: 'W012ABCDEF' }, reference: null }],
  ],
  [
    [
      'page <@U012ABCDEF>x',
      'I could not read "<@U012ABCDEF>x" as a person: pick them from Slack\'s @-mention list.',
    ],
    ['page x<@U012ABCDEF>', '"x<@U012ABCDEF>" is neither a person nor a schedule name.'],
    ['page U012ABCDEF!', '"U012ABCDEF!" is neither a person nor a schedule name.'],
  ],
);

table(
  'escalate and severity (edges)',
  [['severity SEV-1', { name: 'severity', severity: 'SEV1', reference: null }]],
  [
    [
      'escalate x#12',
      '`/incident escalate` takes nothing but an incident reference, like `/incident escalate #12`.',
    ],
    [
      'escalate #12x',
      '`/incident escalate` takes nothing but an incident reference, like `/incident escalate #12`.',
    ],
    ['severity XSEV1', '`XSEV1` is not a severity: use SEV1, SEV2, SEV3, SEV4.'],
    ['severity SEV12', '`SEV12` is not a severity: use SEV1, SEV2, SEV3, SEV4.'],
    ['severity SEV--1', '`SEV--1` is not a severity: use SEV1, SEV2, SEV3, SEV4.'],
    ['severity 0', '`0` is not a severity: use SEV1, SEV2, SEV3, SEV4.'],
  ],
);

table(
  'update and followup (edges)',
  [
    ['update   #12   Rolled back', { name: 'update', text: 'Rolled back', reference: '#12' }],
    ['note   Cache   cold', { name: 'note', text: 'Cache   cold', reference: null }],
    ['followup Fix  due 2026-12-01', followup({ text: 'Fix', dueDate: '2026-12-01' })],
    ['followup Fix due  2026-12-01', followup({ text: 'Fix', dueDate: '2026-12-01' })],
    ['followup Fix overdue 2026-12-01', followup({ text: 'Fix overdue 2026-12-01' })],
    [
      'followup Fix due 2026-01-01 due 2026-02-02',
      followup({ text: 'Fix due 2026-01-01', dueDate: '2026-02-02' }),
    ],
    [`followup Ask ${BOB}  ${CAROL}`, followup({ text: 'Ask @bob', ownerId: 'U0CAROL001' })],
    [`followup Ask${BOB}`, followup({ text: 'Ask@bob' })],
    [`followup ${'f'.repeat(3000)}`, followup({ text: 'f'.repeat(3000) })],
  ],
  [
    [
      'followup due 2026-12-01',
      'Write the action item: `/incident followup Add an alert on queue depth @owner due 2026-12-01`.',
    ],
    [
      `followup ${BOB}`,
      'Write the action item: `/incident followup Add an alert on queue depth @owner due 2026-12-01`.',
    ],
  ],
);

describe('odd input', () => {
  it('answers even a value that is not text with a message, never a throw', () => {
    expect(parseIncidentCommand(undefined as unknown as string)).toEqual({
      ok: false,
      error: 'I could not read that command.',
      usage: expect.stringMatching(/^\*Usage:\*/),
    });
  });
});
