import { describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../../src/slack/commands/parse-command.js';

const create = (text: string) => {
  const result = parseIncidentCommand(text);
  if (!result.ok) throw new Error(`expected a command, got: ${result.error}`);
  return result.command;
};
const error = (text: string) => {
  const result = parseIncidentCommand(text);
  if (result.ok) throw new Error(`expected an error for ${text}`);
  return result.error;
};

describe('/incident create', () => {
  it('takes the runbook form with flags and a quoted title', () => {
    expect(create('create --severity SEV2 --title "API Latency Spike"')).toEqual({
      name: 'create',
      title: 'API Latency Spike',
      severity: 'SEV2',
      service: null,
      isPrivate: false,
    });
  });

  it('takes free text as the title and leaves the severity to the default', () => {
    expect(create('create Checkout is down')).toMatchObject({ title: 'Checkout is down', severity: null });
  });

  it('accepts the quotes and dashes Slack clients substitute as people type', () => {
    expect(create('create —severity sev1 —title “Payments failing”')).toMatchObject({
      title: 'Payments failing',
      severity: 'SEV1',
    });
    expect(create("create --title 'Single quoted' --service=checkout")).toMatchObject({
      title: 'Single quoted',
      service: 'checkout',
    });
  });

  it('reads --service and --private anywhere in the line', () => {
    expect(create('create --private DB failover --service billing-db')).toMatchObject({
      title: 'DB failover',
      service: 'billing-db',
      isPrivate: true,
    });
  });

  it('turns Slack’s escaping back into readable titles', () => {
    expect(
      create(
        'create Errors in <#C0123ABCD|payments> after <@U012ABCDEF|bob> deploy &amp; rollback &lt;v2&gt;',
      ),
    ).toMatchObject({
      title: 'Errors in #payments after @bob deploy & rollback <v2>',
    });
    expect(create('create <https://status.example.com|Status page> down')).toMatchObject({
      title: 'Status page down',
    });
  });

  it('keeps apostrophes inside words', () => {
    expect(create("create Can't log in")).toMatchObject({ title: "Can't log in" });
  });

  it('opens the modal when there is no title', () => {
    expect(create('create')).toMatchObject({ title: null });
    expect(create('create --severity SEV1')).toMatchObject({ title: null, severity: 'SEV1' });
  });

  it('explains each kind of bad input', () => {
    expect(error('create --severity SEV9 --title x')).toMatch(/SEV1, SEV2, SEV3 or SEV4 \(got "SEV9"\)/);
    expect(error('create --severity')).toMatch(/needs a value/);
    expect(error('create --title')).toMatch(/--title` needs a value/);
    expect(error('create --colour red Outage')).toMatch(/Unknown option `--colour`/);
    expect(error('create --title "Unclosed')).toMatch(/quote is not closed/);
    expect(error('create --title "A" and more')).toMatch(/either as text or with `--title`/);
    expect(error(`create ${'x'.repeat(151)}`)).toMatch(/151 characters long; keep it to 150/);
    expect(error('create --service "bad name!" Outage')).toMatch(/--service/);
    expect(error('create --private=yes Outage')).toMatch(/takes no value/);
  });
});

describe('paging commands', () => {
  it('pages a mentioned person or a schedule, optionally for a referenced incident', () => {
    expect(create('page <@U012ABCDEF|bob>')).toEqual({
      name: 'page',
      target: { kind: 'user', userId: 'U012ABCDEF' },
      reference: null,
    });
    expect(create('page primary #12')).toEqual({
      name: 'page',
      target: { kind: 'schedule', schedule: 'primary' },
      reference: '#12',
    });
    expect(error('page @bob')).toMatch(/pick them from Slack's @-mention list/);
    expect(error('page')).toMatch(/Use `\/incident page @person`/);
    expect(error('page primary tomorrow')).toMatch(/Use `\/incident page @person`/);
  });

  it('escalates here or for a referenced incident', () => {
    expect(create('escalate')).toEqual({ name: 'escalate', reference: null });
    expect(create('escalate inc-7')).toEqual({ name: 'escalate', reference: 'inc-7' });
    expect(error('escalate everything')).toMatch(/incident escalate #12/);
  });

  it('shows on-call and takes the pager', () => {
    expect(create('oncall')).toEqual({ name: 'oncall' });
    expect(create('oncall override <@U012ABCDEF> 2h')).toEqual({
      name: 'oncall-override',
      userId: 'U012ABCDEF',
      durationText: '2h',
      schedule: null,
    });
    expect(create('oncall override <@U012ABCDEF> 30m --schedule secondary')).toMatchObject({
      schedule: 'secondary',
    });
    expect(error('oncall override bob 2h')).toMatch(/as a person/);
    expect(error('oncall override <@U012ABCDEF>')).toMatch(/oncall override @person 2h/);
  });
});

describe('closing commands', () => {
  it('reads resolve, close with a resolution, postmortem and stats', () => {
    expect(create('resolve')).toEqual({ name: 'resolve', reference: null });
    expect(create('close --resolution "Rolled back to v1.2.3"')).toEqual({
      name: 'close',
      resolution: 'Rolled back to v1.2.3',
      reference: null,
    });
    expect(create('close #12')).toEqual({ name: 'close', resolution: null, reference: '#12' });
    expect(create('postmortem inc-4')).toEqual({ name: 'postmortem', reference: 'inc-4' });
    expect(create('stats')).toEqual({ name: 'stats', windowDays: 30 });
    expect(create('stats 90d')).toEqual({ name: 'stats', windowDays: 90 });
    expect(error('close --resolution')).toMatch(/needs a value/);
    expect(error('close now please')).toMatch(/incident close --resolution/);
  });
});

describe('other commands', () => {
  it('answers help for empty input and help words', () => {
    for (const text of ['', '   ', 'help', '--help', '?']) expect(create(text)).toEqual({ name: 'help' });
  });

  it('lists open incidents', () => {
    expect(create('list')).toEqual({ name: 'list' });
    expect(error('list everything')).toMatch(/takes no arguments/);
  });

  it('names an unknown command back to the user', () => {
    expect(error('explode now')).toBe('Unknown command `explode`.');
  });
});
