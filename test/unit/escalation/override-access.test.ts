import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseOncallConfig } from '../../../src/escalation/oncall-config.js';
import {
  type Identity,
  isAdmin,
  isParticipant,
  MAX_OVERRIDE_MS,
  mayCancelOverride,
  mayPlaceOverride,
  names,
} from '../../../src/escalation/override-access.js';

// primary: Bob (and Fred) by id on layer 1, Carol by email on layer 2. secondary: Dan. Erin is admin by email.
const config = parseOncallConfig(
  stringify({
    admins: ['U0ADMIN01', 'Erin@Acme.test'],
    schedules: {
      primary: {
        timezone: 'UTC',
        layers: [
          {
            rotation: { length: '1 week', handoff: '09:00', start: '2026-01-05' },
            participants: ['U0BOB0001', 'U0FRED001'],
          },
          {
            rotation: { length: '1 day', handoff: '09:00', start: '2026-01-05' },
            participants: ['carol@acme.test'],
            restrictions: [{ from: '18:00', to: '09:00' }],
          },
        ],
      },
      secondary: {
        timezone: 'UTC',
        rotation: { length: '1 week', handoff: '09:00', start: '2026-01-05' },
        participants: ['U0DAN0001'],
      },
    },
    escalation_policies: { p: { levels: [{ notify: ['schedule:primary'], escalate_after: '5m' }] } },
    paging: { default_policy: 'p' },
  }),
);
const primary = config.schedules.primary!;
const admins = config.admins;

const who = (id: string, email: string | null = null): Identity => ({ id, email });
const admin = who('U0ADMIN01');
const erin = who('U0ERIN001', 'erin@acme.test');
const bob = who('U0BOB0001', 'bob@acme.test');
const carol = who('U0CAROL01', 'CAROL@acme.test');
const dan = who('U0DAN0001', 'dan@acme.test');
const outsider = who('U0OUT0001', 'out@acme.test');
const noEmail = who('U0CAROL01');

const now = new Date('2026-12-02T12:00:00Z');
const inHours = (h: number) => new Date(now.getTime() + h * 3_600_000);

describe('who may put whom on a schedule (mayPlaceOverride)', () => {
  const cases: [string, Identity, Identity, ReturnType<typeof mayPlaceOverride>][] = [
    ['an admin, anyone in it', admin, bob, { allowed: true, as: 'admin' }],
    ['an admin, someone outside it', admin, outsider, { allowed: true, as: 'admin' }],
    ['an admin named by email, themself', erin, erin, { allowed: true, as: 'admin' }],
    ['a participant, themself', bob, bob, { allowed: true, as: 'participant' }],
    ['a participant, another participant (by email)', bob, carol, { allowed: true, as: 'participant' }],
    ['a participant by email, a participant by id', carol, bob, { allowed: true, as: 'participant' }],
    [
      'a participant, someone outside it',
      bob,
      outsider,
      { allowed: false, reason: 'person_not_participant' },
    ],
    [
      'a participant, a participant of another schedule',
      bob,
      dan,
      { allowed: false, reason: 'person_not_participant' },
    ],
    ['an outsider, themself', outsider, outsider, { allowed: false, reason: 'not_participant' }],
    ['an outsider, a participant', outsider, bob, { allowed: false, reason: 'not_participant' }],
    ['a participant of another schedule, themself', dan, dan, { allowed: false, reason: 'not_participant' }],
    [
      'a participant of another schedule, a participant',
      dan,
      bob,
      { allowed: false, reason: 'not_participant' },
    ],
    [
      'a participant whose email Slack did not give',
      noEmail,
      bob,
      { allowed: false, reason: 'not_participant' },
    ],
  ];
  it.each(cases)('%s', (_what, actor, person, verdict) => {
    expect(
      mayPlaceOverride({ actor, person, schedule: primary, from: now, to: inHours(2), now }, admins),
    ).toEqual(verdict);
  });

  const windows: [string, Date, Date, boolean][] = [
    ['from now for 2 hours', now, inHours(2), true],
    ['tomorrow, in the future', inHours(24), inHours(30), true],
    ['already started, not yet over', inHours(-1), inHours(1), true],
    ['exactly 14 days', now, new Date(now.getTime() + MAX_OVERRIDE_MS), true],
    ['14 days and a millisecond', now, new Date(now.getTime() + MAX_OVERRIDE_MS + 1), false],
    ['empty', now, now, false],
    ['empty, in the future', inHours(3), inHours(3), false],
    ['backwards, in the future', inHours(5), inHours(3), false],
    ['backwards', inHours(2), now, false],
    ['over already', inHours(-3), inHours(-1), false],
    ['ending right now', inHours(-1), now, false],
  ];
  it.each(windows)('a window %s: allowed %s, for admins too', (_what, from, to, allowed) => {
    for (const actor of [admin, bob]) {
      const verdict = mayPlaceOverride({ actor, person: bob, schedule: primary, from, to, now }, admins);
      expect(verdict.allowed).toBe(allowed);
      if (!verdict.allowed) expect(verdict.reason).toBe('bad_window');
    }
  });
});

describe('who may cancel an override (mayCancelOverride)', () => {
  const override = { createdBy: 'U0BOB0001', userId: 'carol@acme.test' };
  const cases: [string, Identity, boolean][] = [
    ['the admin', admin, true],
    ['an admin named by email', erin, true],
    ['whoever placed it', bob, true],
    ['the person covering, named by email', carol, true],
    ['another participant of the schedule', dan, false],
    ['an outsider', outsider, false],
  ];
  it.each(cases)('%s: %s', (_what, actor, allowed) => {
    expect(mayCancelOverride(actor, override, admins)).toBe(allowed);
  });
});

describe('naming people as oncall.yaml does', () => {
  it('matches an id exactly and an email without regard to case, never an id by its email', () => {
    expect(names('U0BOB0001', bob)).toBe(true);
    expect(names('u0bob0001', bob)).toBe(false);
    expect(names('BOB@acme.test', bob)).toBe(true);
    expect(names('bob@acme.test', who('U0BOB0001'))).toBe(false);
    expect(names('U0BOB0001', who('U0X', 'U0BOB0001'))).toBe(false);
    expect(names('', who('U0X', ''))).toBe(false);
  });

  it('finds admins and participants in any layer', () => {
    expect(isAdmin(erin, admins)).toBe(true);
    expect(isAdmin(bob, admins)).toBe(false);
    expect(isAdmin(admin, [])).toBe(false);
    expect(isParticipant(carol, primary)).toBe(true);
    expect(isParticipant(bob, primary)).toBe(true);
    expect(isParticipant(dan, primary)).toBe(false);
  });
});
