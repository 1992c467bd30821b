import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineCommand, parseWithSpec, syntaxOf } from '../../../src/slack/commands/command-spec.js';
import { COMMAND_SPECS } from '../../../src/slack/commands/command-specs.js';
import { text } from '../../../src/slack/commands/grammar.js';
import { parseIncidentCommand, USAGE, usageFor } from '../../../src/slack/commands/parse-command.js';
import { COMMAND_HANDLERS, opensModal } from '../../../src/slack/commands/run-command.js';

const parsed = (text: string) => {
  const result = parseIncidentCommand(text);
  if (!result.ok) throw new Error(result.error);
  return result.command;
};

describe('the command registry', () => {
  it('has exactly one handler per declared command', () => {
    expect(Object.keys(COMMAND_HANDLERS).sort()).toEqual(COMMAND_SPECS.map((s) => s.name).sort());
  });

  it('gives every verb to one command only', () => {
    const verbs = COMMAND_SPECS.flatMap((s) => s.verbs.map((v) => v.join(' ')));
    expect(new Set(verbs).size).toBe(verbs.length);
  });

  it('only lets incident commands be restricted to the people running the incident, and says what they do', () => {
    const restricted = COMMAND_SPECS.filter((s) => ['changer', 'pager', 'escalator'].includes(s.access));
    for (const spec of restricted) {
      expect(spec.scope).toBe('incident');
      expect(spec.what).toBeTypeOf('function');
    }
    expect(restricted.map((s) => s.name)).toEqual([
      'status',
      'severity',
      'role',
      'update',
      'note',
      'link',
      'followup',
      'page',
      'page-team',
      'escalate',
      'resolve',
      'close',
      'reopen',
      'postmortem',
    ]);
    // Every incident command needs at least a viewer: none is open to anyone.
    for (const spec of COMMAND_SPECS.filter((s) => s.scope === 'incident'))
      expect(spec.access).not.toBe('anyone');
  });

  it('names what a refused person may not do, per command', () => {
    const what = (text: string) => {
      const command = parsed(text);
      const spec = COMMAND_SPECS.find((s) => s.name === command.name)!;
      return (spec.what as (c: unknown) => string)(command);
    };
    expect(what('status identified')).toBe('change the status');
    expect(what('status resolved')).toBe('resolve this incident');
    expect(what('severity SEV1')).toBe('change the severity');
    expect(what('role comms <@U012ABCDEF>')).toBe('assign roles');
    expect(what('resolve')).toBe('resolve this incident');
    expect(what('close')).toBe('close this incident');
    expect(what('reopen')).toBe('reopen this incident');
    expect(what('update Rolled back')).toBe('post updates');
    expect(what('page <@U012ABCDEF>')).toBe('page people for this incident');
    expect(what('page service:payments Cards fail')).toBe('page another team into this incident');
    expect(what('escalate')).toBe('escalate this incident');
    expect(what('postmortem')).toBe('regenerate the postmortem of this incident');
  });

  it('opens a modal at once only for create without a title and close without a resolution', () => {
    expect(opensModal(parsed('create'))).toBe(true);
    expect(opensModal(parsed('create --severity SEV1 --service checkout'))).toBe(true);
    expect(opensModal(parsed('create Checkout down'))).toBe(false);
    expect(opensModal(parsed('close'))).toBe(true);
    expect(opensModal(parsed('close --resolution Done'))).toBe(false);
    expect(opensModal(parsed('status identified'))).toBe(false);
  });
});

describe('usage generated from the declarations', () => {
  it('lists every command once, the incident ones under their own heading', () => {
    const lines = USAGE.split('\n');
    const heading = lines.findIndex((l) => l.startsWith('*In an incident channel*'));
    for (const spec of COMMAND_SPECS) {
      const at = lines.findIndex((l) => l.startsWith(`• \`${syntaxOf(spec)}\` — ${spec.summary}`));
      expect(at, spec.name).toBeGreaterThan(0);
      expect(at > heading, spec.name).toBe(spec.scope === 'incident');
    }
    expect(lines[0]).toBe('*Usage:* `/incident <command>`');
    expect(lines.at(-1)).toBe('Severities: SEV1 (critical) · SEV2 (high) · SEV3 (medium) · SEV4 (low).');
  });

  it('shows examples that parse to the command they illustrate', () => {
    const examples = COMMAND_SPECS.flatMap((s) => s.examples.map((e) => [s.name, e] as const));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const [name, example] of examples) {
      expect(USAGE).toContain(`\n    e.g. \`${example}\``);
      expect(parsed(example.replace(/^\/incident /, '')).name).toBe(name);
    }
  });

  it('renders optional arguments, value flags and switches', () => {
    const syntax = (name: string) => syntaxOf(COMMAND_SPECS.find((s) => s.name === name)!);
    expect(syntax('create')).toBe(
      '/incident create [title] [--severity SEV1|SEV2|SEV3|SEV4] [--title "…"] [--service <service>] [--private]',
    );
    expect(syntax('oncall-override')).toBe(
      '/incident oncall override @person <duration> [--schedule <schedule>]',
    );
    expect(syntax('timeline')).toBe('/incident timeline [page]');
    expect(syntax('role')).toBe('/incident role commander|comms|scribe @person');
    expect(syntax('list')).toBe('/incident list');
  });

  it('answers one command’s usage by its verb or an alias’s first word', () => {
    expect(usageFor('oncall')).toBe(
      [
        '*Usage:*',
        '• `/incident oncall [--schedule <schedule>] [--at "YYYY-MM-DD HH:MM"]` — who is on call now and next, per schedule; `--at` tells who will be then, in your time zone',
        '    e.g. `/incident oncall --schedule primary --at "2026-12-24 09:00"`',
        '• `/incident oncall me` — your notification rules (steps, quiet hours, providers), with a *Send test* button per channel',
        '• `/incident oncall override @person <duration> [--schedule <schedule>]` — put yourself or another participant of the schedule on call for a while (1 minute to 14 days, e.g. `30m`, `2h`, `1 day`); admins may put anyone',
        '• `/incident oncall overrides [--schedule <schedule>]` — current and future overrides, with their ids',
        '• `/incident oncall override cancel <id>` — cancel an override at once (admins, whoever placed it, or the person covering)',
        '• `/incident oncall calendar` — DMs you calendar feed links: your own shifts on every schedule, and one per schedule',
        '• `/incident oncall calendar reset` — revoke every calendar link you were given',
        '• `/incident oncall cover "<from>" "<to>" [reason] [--schedule <schedule>]` — ask the other participants of your schedule to take part of your shift (times in your time zone); the first to press *Take it* is put on call',
        '    e.g. `/incident oncall cover "2026-12-24 09:00" "2026-12-24 17:00" Dentist`',
        '• `/incident oncall cover cancel <id>` — withdraw your cover request while nobody has taken it',
      ].join('\n'),
    );
    expect(usageFor('SEV')).toContain('/incident severity SEV1|SEV2|SEV3|SEV4');
    expect(usageFor('sev')).toContain('_In the incident channel, or add the incident, like `#12`._');
    expect(usageFor('frobnicate')).toBeNull();
  });

  it('is what the README’s command table lists', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const spec of COMMAND_SPECS)
      expect(readme, spec.name).toContain(`| \`${syntaxOf(spec).replaceAll('|', '\\|')}\` |`);
  });
});

describe('/incident help, as people read it', () => {
  it('is exactly this text (a golden copy: every summary, example and heading is user-visible)', () => {
    expect(USAGE.split('\n')).toEqual([
      '*Usage:* `/incident <command>`',
      '• `/incident create [title] [--severity SEV1|SEV2|SEV3|SEV4] [--title "…"] [--service <service>] [--private]` — declare an incident; without a title the declare form opens',
      '    e.g. `/incident create Checkout is down`',
      '    e.g. `/incident create --severity SEV2 --title "API Latency Spike"`',
      '• `/incident list` — open incidents: number, title, severity, status, age, channel',
      '• `/incident stats [7d|30d|90d]` — counts by severity; time to acknowledge and resolve (p50/p90/p95); DORA tier',
      '• `/incident oncall [--schedule <schedule>] [--at "YYYY-MM-DD HH:MM"]` — who is on call now and next, per schedule; `--at` tells who will be then, in your time zone',
      '    e.g. `/incident oncall --schedule primary --at "2026-12-24 09:00"`',
      '• `/incident oncall me` — your notification rules (steps, quiet hours, providers), with a *Send test* button per channel',
      '• `/incident oncall override @person <duration> [--schedule <schedule>]` — put yourself or another participant of the schedule on call for a while (1 minute to 14 days, e.g. `30m`, `2h`, `1 day`); admins may put anyone',
      '• `/incident oncall overrides [--schedule <schedule>]` — current and future overrides, with their ids',
      '• `/incident oncall override cancel <id>` — cancel an override at once (admins, whoever placed it, or the person covering)',
      '• `/incident alerts` — open alerts per service: title, severity, count, since when, state, who acknowledged',
      '• `/incident maintenance [<service>] [<duration>|off [reason]]` — services in maintenance; with a service and a duration its alerts are recorded without paging until then (up to 7 days), `off` ends it early',
      '    e.g. `/incident maintenance checkout 2h Database upgrade`',
      '    e.g. `/incident maintenance checkout off`',
      '• `/incident oncall calendar` — DMs you calendar feed links: your own shifts on every schedule, and one per schedule',
      '• `/incident oncall calendar reset` — revoke every calendar link you were given',
      '• `/incident oncall cover "<from>" "<to>" [reason] [--schedule <schedule>]` — ask the other participants of your schedule to take part of your shift (times in your time zone); the first to press *Take it* is put on call',
      '    e.g. `/incident oncall cover "2026-12-24 09:00" "2026-12-24 17:00" Dentist`',
      '• `/incident oncall cover cancel <id>` — withdraw your cover request while nobody has taken it',
      '• `/incident help [command]` — this message; `/incident help <command>` for one command',
      '*In an incident channel* (elsewhere add the incident, like `#12` or `inc-12`):',
      '• `/incident status investigating|identified|monitoring|resolved` — change the status (resolved stops paging and reminders)',
      '• `/incident severity SEV1|SEV2|SEV3|SEV4` — change the severity (raising it to an auto-paged level starts paging)',
      '• `/incident role commander|comms|scribe @person` — assign a role',
      '• `/incident update <text>` — a status update: posted in the channel and the announcement thread, shown on the card',
      '• `/incident note <text>` — a note on the timeline',
      '• `/incident link <url> [title]` — a link for responders: bookmarked in the channel, on the timeline and in the postmortem',
      '    e.g. `/incident link https://grafana.example/d/checkout Checkout latency`',
      '• `/incident followup <text> [@owner] [due YYYY-MM-DD]` — an action item for the postmortem',
      '• `/incident timeline [page]` — the timeline so far, in your time zone, 25 events a page (`#12 2` or `2 #12`)',
      '• `/incident show` — the incident card, for you alone',
      '• `/incident page @person|<schedule>` — page a person, or a schedule’s on-call, now',
      '• `/incident page service:<service> [reason]` — page another team into this incident: its service’s escalation policy runs beside the incident’s own (`team:` works too)',
      '    e.g. `/incident page service:payments Card payments fail at checkout`',
      '• `/incident escalate` — page the next escalation level now (starts the policy if nothing is paging)',
      '• `/incident resolve` — resolved: paging and reminders stop',
      '• `/incident close [--resolution "…"]` — close; without `--resolution` a form asks for resolution, root cause, impact and lessons',
      '    e.g. `/incident close --resolution "Rolled back to v1.2.3"`',
      '• `/incident reopen` — reopen a resolved or closed incident',
      '• `/incident postmortem` — regenerate the postmortem draft from the latest data',
      'Severities: SEV1 (critical) · SEV2 (high) · SEV3 (medium) · SEV4 (low).',
    ]);
  });

  it('tags each command with who may run it (the rule itself is incidents/access.ts)', () => {
    expect(Object.fromEntries(COMMAND_SPECS.map((s) => [s.name, [s.access, s.scope]]))).toEqual({
      create: ['anyone', 'global'],
      list: ['anyone', 'global'],
      stats: ['anyone', 'global'],
      oncall: ['anyone', 'global'],
      'oncall-me': ['anyone', 'global'],
      'oncall-override': ['override', 'global'],
      'oncall-overrides': ['anyone', 'global'],
      'oncall-override-cancel': ['override', 'global'],
      alerts: ['anyone', 'global'],
      maintenance: ['maintainer', 'global'],
      'oncall-calendar': ['anyone', 'global'],
      'oncall-calendar-reset': ['anyone', 'global'],
      'oncall-cover': ['override', 'global'],
      'oncall-cover-cancel': ['override', 'global'],
      help: ['anyone', 'global'],
      status: ['changer', 'incident'],
      severity: ['changer', 'incident'],
      role: ['changer', 'incident'],
      update: ['changer', 'incident'],
      note: ['changer', 'incident'],
      link: ['changer', 'incident'],
      followup: ['changer', 'incident'],
      timeline: ['viewer', 'incident'],
      show: ['viewer', 'incident'],
      page: ['pager', 'incident'],
      'page-team': ['pager', 'incident'],
      escalate: ['escalator', 'incident'],
      resolve: ['changer', 'incident'],
      close: ['changer', 'incident'],
      reopen: ['changer', 'incident'],
      postmortem: ['changer', 'incident'],
    });
  });

  it('answers every verb and alias', () => {
    const verbs = Object.fromEntries(COMMAND_SPECS.map((s) => [s.name, s.verbs.map((v) => v.join(' '))]));
    expect(verbs).toMatchObject({
      help: ['help', '--help', '—help', '–help', '-h', '?'],
      list: ['list', 'ls'],
      create: ['create', 'declare', 'new', 'open'],
      oncall: ['oncall', 'on-call'],
      'oncall-me': ['oncall me', 'on-call me'],
      'oncall-override': ['oncall override', 'on-call override'],
      'oncall-overrides': ['oncall overrides', 'on-call overrides'],
      'oncall-override-cancel': ['oncall override cancel', 'on-call override cancel'],
      'oncall-calendar': ['oncall calendar', 'on-call calendar'],
      'oncall-calendar-reset': ['oncall calendar reset', 'on-call calendar reset'],
      severity: ['severity', 'sev'],
      followup: ['followup', 'follow-up', 'action'],
      status: ['status'],
    });
  });
});

// The grammar pieces themselves: test/unit/slack/commands/grammar.test.ts.
describe('grammar helpers', () => {
  it('keeps a leading #12 in the text of a command that acts on no incident', () => {
    const echo = defineCommand({
      name: 'echo',
      summary: 'test',
      access: 'anyone',
      scope: 'global',
      args: { text: text('<text>', 'Say something.', (s) => s) },
    });
    expect(parseWithSpec(echo, '#12 is fixed')).toEqual({
      ok: true,
      command: { name: 'echo', text: '#12 is fixed' },
    });
    expect(parseWithSpec(echo, '')).toEqual({ ok: false, error: 'Say something.' });
  });
});
