import { describe, expect, it } from 'vitest';
import { type IncidentCommand, parseIncidentCommand } from '../../../src/slack/commands/parse-command.js';
import { BOB, CAROL, create, error, followup, override, table } from './parse-table.js';

/** Table-driven: every valid form of each incident subcommand, and each invalid form with its exact message. */
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
    ['followup Fix &lt;!channel&gt; spam &amp; noise', followup({ text: 'Fix <!channel> spam & noise' })],
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

const link = (url: string, title: string | null): IncidentCommand => ({
  name: 'link',
  link: { url, title },
  reference: null,
});

describe('odd input', () => {
  it('answers even a value that is not text with a message, never a throw', () => {
    expect(parseIncidentCommand(undefined as unknown as string)).toEqual({
      ok: false,
      error: 'I could not read that command.',
      usage: expect.stringMatching(/^\*Usage:\*/),
    });
  });
});

table(
  'link',
  [
    [
      'link <https://grafana.example/d/checkout> Checkout latency',
      {
        name: 'link',
        link: { url: 'https://grafana.example/d/checkout', title: 'Checkout latency' },
        reference: null,
      },
    ],
    [
      'link <https://status.example|Status page>',
      { name: 'link', link: { url: 'https://status.example', title: 'Status page' }, reference: null },
    ],
    [
      'link <https://status.example|Status page> Public status',
      { name: 'link', link: { url: 'https://status.example', title: 'Public status' }, reference: null },
    ],
    [
      'link https://wiki.example/runbooks/checkout',
      { name: 'link', link: { url: 'https://wiki.example/runbooks/checkout', title: null }, reference: null },
    ],
    [
      'link #12 <https://status.example>',
      { name: 'link', link: { url: 'https://status.example', title: null }, reference: '#12' },
    ],
    ['link <http://intranet.example/rb>', link('http://intranet.example/rb', null)],
    ['link http://intranet.example/rb Runbook', link('http://intranet.example/rb', 'Runbook')],
    ['link <https://status.example|  Status page  >', link('https://status.example', 'Status page')],
    ['link <https://status.example|   >', link('https://status.example', null)],
    [
      'link <https://status.example>   Checkout  latency',
      link('https://status.example', 'Checkout  latency'),
    ],
    [`link <https://status.example> ${'t'.repeat(150)}`, link('https://status.example', 't'.repeat(150))],
    [`link https://status.example ${'🔥'.repeat(150)}`, link('https://status.example', '🔥'.repeat(150))],
  ],
  [
    [
      'link',
      'Give the link after the command: `/incident link https://grafana.example/d/checkout Checkout latency`.',
    ],
    [
      'link grafana dashboard',
      '`grafana dashboard` is not a link: start with an http:// or https:// address.',
    ],
    [
      'link <mailto:x@example.com>',
      '`<mailto:x@example.com>` is not a link: start with an http:// or https:// address.',
    ],
    [`link <https://status.example> ${'t'.repeat(151)}`, "Keep the link's title to 150 characters."],
    // The link must be the first word, and whole.
    [
      'link see https://status.example',
      '`see https://status.example` is not a link: start with an http:// or https:// address.',
    ],
    [
      'link <https://status.example>now',
      '`<https://status.example>now` is not a link: start with an http:// or https:// address.',
    ],
  ],
);
