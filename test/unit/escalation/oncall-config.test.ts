import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { formatDuration, parseDuration, parseRotationLength } from '../../../src/escalation/duration.js';
import {
  loadOncallConfig,
  OncallConfigError,
  parseOncallConfig,
} from '../../../src/escalation/oncall-config.js';

import { problemsOf } from '../../helpers/oncall-problems.js';

const fixture = (name: string) => new URL(`../../fixtures/oncall/${name}`, import.meta.url).pathname;

async function fixtureProblems(name: string): Promise<string[]> {
  try {
    await loadOncallConfig(fixture(name));
  } catch (error) {
    if (error instanceof OncallConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected ${name} to be refused`);
}

const minimal = `
timezone: Europe/London
schedules:
  primary:
    rotation: { length: weekly, handoff: "09:00", start: 2026-11-02 }
    participants: [U012ABCDEF, alice@acme.test]
escalation_policies:
  default:
    levels:
      - { notify: [schedule:primary], escalate_after: 5m }
paging:
  default_policy: default
`;

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1 day', 86_400_000],
    ['1 week', 604_800_000],
    ['30d', 2_592_000_000],
    ['1h 30m', 5_400_000],
    ['15 minutes', 900_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['5', '', 'm5', '1.5h', '2 months', 'soon', '-5m'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('reads milliseconds, for tests and benchmarks with fast escalation', () => {
    expect(parseDuration('300ms')).toBe(300);
    expect(parseDuration('1s 500ms')).toBe(1500);
  });

  it('renders durations back in the same notation', () => {
    expect([30_000, 300_000, 5_400_000, 2_592_000_000].map(formatDuration)).toEqual([
      '30s',
      '5m',
      '1h 30m',
      '4w 2d',
    ]);
  });

  it('reads rotation lengths: daily, weekly and custom hours, days or weeks', () => {
    expect(['daily', 'weekly', '12 hours', '12h', '3 days', '2 weeks'].map(parseRotationLength)).toEqual([
      { count: 1, unit: 'day' },
      { count: 1, unit: 'week' },
      { count: 12, unit: 'hour' },
      { count: 12, unit: 'hour' },
      { count: 3, unit: 'day' },
      { count: 2, unit: 'week' },
    ]);
    expect(['fortnightly', '0 days', '90 minutes', 'monthly'].map(parseRotationLength)).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('a valid oncall.yaml', () => {
  it('becomes typed camelCase config with the documented defaults', () => {
    const config = parseOncallConfig(minimal, 'minimal.yaml');
    expect(config.source).toBe('minimal.yaml');
    expect(config.admins).toEqual([]);
    expect(config.services).toEqual({});
    expect(config.paging).toEqual({
      defaultPolicy: 'default',
      autoPage: ['SEV1', 'SEV2'],
      allowFastEscalation: false,
      groupWindowMs: 120_000,
    });
    expect(config.escalationPolicies.default).toEqual({
      name: 'default',
      levels: [{ notify: [{ kind: 'schedule', schedule: 'primary' }], escalateAfterMs: 300_000 }],
      repeat: 0,
      ackTimeoutMs: undefined,
    });
    expect(config.schedules.primary).toEqual({
      name: 'primary',
      timezone: 'Europe/London', // inherited from the top level
      layers: [
        {
          name: 'layer 1',
          rotation: {
            length: { count: 1, unit: 'week' },
            handoff: { hour: 9, minute: 0 },
            start: { year: 2026, month: 11, day: 2 },
          },
          participants: ['U012ABCDEF', 'alice@acme.test'],
          restrictions: [],
        },
      ],
      overrides: [],
      usergroupMembersAlways: [],
      notifyBeforeMs: 3_600_000,
    });
  });

  it('reads layers, restrictions (ISO weekdays), overrides, user targets, services and paging settings', () => {
    const config = parseOncallConfig(`
schedules:
  follow-the-sun:
    timezone: Asia/Kolkata
    layers:
      - rotation: { length: 12 hours, handoff: "08:00", start: 2026-11-02 }
        participants: [priya@acme.test]
      - name: weekends
        rotation: { length: daily, handoff: "10:00", start: 2026-11-07 }
        participants: [U0WEEKEND1]
        restrictions: [{ days: [sat, sun], from: "22:00", to: "06:00" }, { from: "10:00", to: "12:00" }]
    overrides:
      - { user: bob@acme.test, from: 2026-11-21T09:00:00Z, to: "2026-11-21T17:00" }
escalation_policies:
  critical:
    levels:
      - { notify: [schedule:follow-the-sun, user:U012ABCDEF], escalate_after: 90s }
      - { notify: ["user:carol@acme.test"], escalate_after: 1 day }
    repeat: 2
    ack_timeout: 30m
services:
  checkout:
    escalation_policy: critical
    slo: { target: 99.95, window: 30d }
    runbook: https://wiki.example/runbooks/checkout
paging:
  default_policy: critical
  auto_page: [SEV1]
`);
    const schedule = config.schedules['follow-the-sun']!;
    expect(schedule.layers.map((layer) => [layer.name, layer.rotation.length])).toEqual([
      ['layer 1', { count: 12, unit: 'hour' }],
      ['weekends', { count: 1, unit: 'day' }],
    ]);
    expect(schedule.layers[1]!.restrictions).toEqual([
      { days: [6, 7], from: { hour: 22, minute: 0 }, to: { hour: 6, minute: 0 } },
      { days: [1, 2, 3, 4, 5, 6, 7], from: { hour: 10, minute: 0 }, to: { hour: 12, minute: 0 } },
    ]);
    // An override time without an offset is wall time in the schedule's zone (17:00 IST = 11:30 UTC).
    expect(schedule.overrides).toEqual([
      { user: 'bob@acme.test', from: new Date('2026-11-21T09:00:00Z'), to: new Date('2026-11-21T11:30:00Z') },
    ]);
    expect(config.escalationPolicies.critical).toMatchObject({
      levels: [
        {
          notify: [
            { kind: 'schedule', schedule: 'follow-the-sun' },
            { kind: 'user', user: 'U012ABCDEF' },
          ],
          escalateAfterMs: 90_000,
        },
        { notify: [{ kind: 'user', user: 'carol@acme.test' }], escalateAfterMs: 86_400_000 },
      ],
      repeat: 2,
      ackTimeoutMs: 1_800_000,
    });
    expect(config.services.checkout).toEqual({
      name: 'checkout',
      escalationPolicy: 'critical',
      slo: { target: 99.95, windowMs: 2_592_000_000 },
      runbook: 'https://wiki.example/runbooks/checkout',
      alerts: {},
      heartbeats: {},
    });
    expect(config.paging.autoPage).toEqual(['SEV1']);
  });
});

describe('an invalid oncall.yaml', () => {
  it('reports YAML syntax errors with line and column', async () => {
    expect(await fixtureProblems('broken-syntax.yaml.txt')).toEqual([
      'line 8, column 1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'line 14, column 1: YAML syntax: Map keys must be unique',
    ]);
  });

  it('names every bad duration and time of day by its path, with what was written', async () => {
    expect(await fixtureProblems('bad-durations.yaml')).toEqual([
      'schedules.primary.rotation.length: expected daily, weekly, or n hours/days/weeks (got "fortnightly")',
      'schedules.primary.rotation.handoff: expected HH:MM (got "9am")',
      'escalation_policies.default.levels[0].escalate_after: expected a duration such as 90s, 5m, 2h, 1 day or 1 week (got 5)',
      'escalation_policies.default.levels[1].escalate_after: expected a duration such as 90s, 5m, 2h, 1 day or 1 week (got "2 months")',
      'escalation_policies.default.levels[2].escalate_after: expected a duration such as 90s, 5m, 2h, 1 day or 1 week (got "1.5h")',
      'escalation_policies.default.ack_timeout: expected a duration such as 90s, 5m, 2h, 1 day or 1 week (got "soon")',
      'services.checkout.slo.window: expected a duration such as 90s, 5m, 2h, 1 day or 1 week (got "a month")',
    ]);
  });

  it('names unknown schedules and policies, and lists the names that exist', async () => {
    expect(await fixtureProblems('unknown-references.yaml')).toEqual([
      'escalation_policies.default.levels[1].notify[0]: unknown schedule "secndary" (schedules: primary, secondary)',
      'services.checkout.escalation_policy: unknown escalation policy "defualt" (escalation_policies: default)',
      'paging.default_policy: unknown escalation policy "standard" (escalation_policies: default)',
    ]);
  });

  it('refuses escalation timings under one minute unless paging.allow_fast_escalation is true', async () => {
    expect(await fixtureProblems('fast-escalation.yaml')).toEqual([
      'escalation_policies.default.levels[0].escalate_after: 30s is under one minute; set paging.allow_fast_escalation: true to allow it (tests and the sandbox)',
      'escalation_policies.default.ack_timeout: 45s is under one minute; set paging.allow_fast_escalation: true to allow it (tests and the sandbox)',
    ]);
    const allowed = readFileSync(fixture('fast-escalation.yaml'), 'utf8').replace(
      'default_policy: default',
      'default_policy: default\n  allow_fast_escalation: true',
    );
    const config = parseOncallConfig(allowed);
    expect(config.paging.allowFastEscalation).toBe(true);
    expect(config.escalationPolicies.default!.levels[0]!.escalateAfterMs).toBe(30_000);
    expect(config.escalationPolicies.default!.ackTimeoutMs).toBe(45_000);
  });

  it('lists every problem of a file in one error, in file order', async () => {
    let thrown: unknown;
    try {
      await loadOncallConfig(fixture('many-problems.yaml'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OncallConfigError);
    expect(thrown).toBeInstanceOf(AppError);
    const error = thrown as OncallConfigError;
    expect(error.code).toBe('config_invalid');
    expect(error.problems).toEqual([
      'timezone: expected an IANA time zone such as Europe/London or America/New_York (got "Europe/Londn")',
      'admins[0]: expected a Slack user id (U012ABCDEF) or an email (got "bob")',
      'schedules.primary.rotation.handoff: expected HH:MM (got "9am")',
      'schedules.primary.rotation.start: not a calendar date (got "2026-02-30")',
      'schedules.primary.restrictions[0].days[0]: expected one of mon, tue, wed, thu, fri, sat, sun (got "monday")',
      'schedules.primary.overrides[0].to: must be after from (2026-11-21T17:00:00Z)',
      'schedules.both: use either rotation + participants or layers, not both (found rotation and layers)',
      'schedules.both.timezone: expected an IANA time zone such as Europe/London or America/New_York (got "Mars/Olympus_Mons")',
      'escalation_policies.default.levels[0].escalate_after: 30s is under one minute; set paging.allow_fast_escalation: true to allow it (tests and the sandbox)',
      'escalation_policies.default.levels[1].escalate_after: is required',
      'escalation_policies.default.levels[1].notify[0]: unknown schedule "secndary" (schedules: primary, both)',
      'escalation_policies.default.levels[1].notify[1]: expected schedule:NAME or user:ID_OR_EMAIL (got "user:nobody")',
      'escalation_policies.default.levels[1].escalate_afer: unknown field (expected one of: notify, escalate_after)',
      'escalation_policies.default.repeat: expected a whole number from 0 to 9 (got 12)',
      'services.checkout.escalation_policy: unknown escalation policy "defualt" (escalation_policies: default)',
      'services.checkout.slo.target: expected a percentage above 0 and below 100 (got 100)',
      'paging.auto_page[0]: expected one of SEV1, SEV2, SEV3, SEV4 (got "SEV5")',
    ]);
    expect(error.message.split('\n')[0]).toContain('many-problems.yaml (17 problems)');
    for (const problem of error.problems) expect(error.message).toContain(`  - ${problem}`);
  });

  it('says what is missing, and where', () => {
    expect(problemsOf('schedules: {}\n')).toEqual([
      'escalation_policies: is required',
      'paging: is required',
    ]);
    expect(problemsOf('')).toEqual(['(file): is empty; expected escalation_policies, paging and schedules']);
    expect(problemsOf('- just\n- a list\n')).toEqual([
      '(file): expected a mapping (key: value lines) (got a list of 2)',
    ]);
  });

  it('needs a time zone for every schedule, its own or the top-level one', () => {
    expect(problemsOf(minimal.replace('timezone: Europe/London\n', ''))).toEqual([
      'schedules.primary.timezone: is required (here or as the top-level timezone)',
    ]);
  });

  it('needs a rotation with participants, or layers, but not both', () => {
    const noParticipants = minimal.replace('    participants: [U012ABCDEF, alice@acme.test]\n', '');
    expect(problemsOf(noParticipants)).toEqual(['schedules.primary.participants: is required']);
    const layers = minimal.replace(
      '    participants: [U012ABCDEF, alice@acme.test]\n',
      '    layers: [{ rotation: { length: daily, handoff: "09:00", start: 2026-11-02 }, participants: [U012ABCDEF] }]\n',
    );
    expect(problemsOf(layers)).toEqual([
      'schedules.primary: use either rotation + participants or layers, not both (found rotation and layers)',
    ]);
  });

  it('checks restriction windows and names of sections', () => {
    const restricted = minimal.replace(
      '    participants: [U012ABCDEF, alice@acme.test]\n',
      '    participants: [U012ABCDEF]\n    restrictions: [{ days: [Mon, fri], from: "9:00", to: "24:00" }]\n',
    );
    expect(problemsOf(restricted)).toEqual([
      'schedules.primary.restrictions[0].days[0]: expected one of mon, tue, wed, thu, fri, sat, sun (got "Mon")',
      'schedules.primary.restrictions[0].from: expected HH:MM (got "9:00")',
      'schedules.primary.restrictions[0].to: expected HH:MM (got "24:00")',
    ]);
    expect(
      problemsOf(
        minimal
          .replace('  primary:', '  "primary rota":')
          .replace('schedule:primary', 'schedule:primary-rota'),
      ),
    ).toEqual([
      'schedules.primary rota: "primary rota" is not a valid name: use letters, digits, ".", "_" or "-"',
      'escalation_policies.default.levels[0].notify[0]: unknown schedule "primary-rota" (schedules: primary rota)',
    ]);
  });

  it('refuses a file it cannot read', async () => {
    await expect(loadOncallConfig(fixture('does-not-exist.yaml'))).rejects.toMatchObject({
      problems: ['(file): cannot be read: no such file'],
    });
  });
});
