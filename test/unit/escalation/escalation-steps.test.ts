import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  ackTimeoutJobId,
  isExhaustionCheck,
  nextPosition,
  resolveLevelTargets,
  stepJobId,
} from '../../../src/escalation/escalation-steps.js';
import { type EscalationPolicy, parseOncallConfig } from '../../../src/escalation/oncall-config.js';

function policy(levels: number, repeat: number): EscalationPolicy {
  return {
    name: 'p',
    levels: Array.from({ length: levels }, () => ({ notify: [], escalateAfterMs: 60_000 })),
    repeat,
    ackTimeoutMs: undefined,
  };
}

describe('the order in which an escalation pages its levels', () => {
  it('goes level by level, then repeats the whole policy, then checks for exhaustion once', () => {
    const threeLevelsTwice = policy(3, 1);
    const walk: { step: number; loop: number }[] = [{ step: 0, loop: 0 }];
    while (!isExhaustionCheck(threeLevelsTwice, walk.at(-1)!))
      walk.push(nextPosition(threeLevelsTwice, walk.at(-1)!));
    expect(walk).toEqual([
      { step: 0, loop: 0 },
      { step: 1, loop: 0 },
      { step: 2, loop: 0 },
      { step: 0, loop: 1 },
      { step: 1, loop: 1 },
      { step: 2, loop: 1 },
      { step: 3, loop: 1 },
    ]);
  });

  it('with one level and no repeat, pages it once and then checks for exhaustion', () => {
    const single = policy(1, 0);
    expect(isExhaustionCheck(single, { step: 0, loop: 0 })).toBe(false);
    expect(nextPosition(single, { step: 0, loop: 0 })).toEqual({ step: 1, loop: 0 });
    expect(isExhaustionCheck(single, { step: 1, loop: 0 })).toBe(true);
  });

  it('treats a position past the last level as the exhaustion check', () => {
    expect(isExhaustionCheck(policy(2, 0), { step: 1, loop: 0 })).toBe(false);
    expect(isExhaustionCheck(policy(2, 0), { step: 2, loop: 0 })).toBe(true);
    expect(isExhaustionCheck(policy(2, 0), { step: 3, loop: 0 })).toBe(true);
  });
});

describe('who a level pages', () => {
  const config = parseOncallConfig(
    stringify({
      schedules: {
        primary: {
          timezone: 'Europe/Berlin',
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
          participants: ['UANN', 'UBEN'],
        },
        secondary: {
          timezone: 'Europe/Berlin',
          rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
          participants: ['UBEN', 'UCAT'],
        },
        future: {
          timezone: 'Europe/Berlin',
          rotation: { length: 'daily', handoff: '09:00', start: '2030-01-01' },
          participants: ['UDAN'],
        },
      },
      escalation_policies: {
        p: { levels: [{ notify: ['schedule:primary'], escalate_after: '5m' }] },
      },
      paging: { default_policy: 'p' },
    }),
  );
  const week1 = new Date('2026-11-04T12:00:00Z'); // UANN on primary, UBEN on secondary
  const week2 = new Date('2026-11-11T12:00:00Z'); // UBEN on primary, UCAT on secondary

  it('pages named users and whoever is on call in each schedule at the moment the level fires', () => {
    const notify = [
      { kind: 'user' as const, user: 'UBOSS' },
      { kind: 'schedule' as const, schedule: 'primary' },
    ];
    expect(resolveLevelTargets(notify, config.schedules, week1)).toEqual([
      { target: 'UBOSS', via: 'user' },
      { target: 'UANN', via: 'schedule:primary' },
    ]);
    expect(resolveLevelTargets(notify, config.schedules, week2)).toEqual([
      { target: 'UBOSS', via: 'user' },
      { target: 'UBEN', via: 'schedule:primary' },
    ]);
  });

  it('pages a person once even when named twice or on call in two schedules, keeping the first reason', () => {
    const notify = [
      { kind: 'schedule' as const, schedule: 'secondary' },
      { kind: 'schedule' as const, schedule: 'primary' },
      { kind: 'user' as const, user: 'UANN' },
      { kind: 'user' as const, user: 'UBEN' },
      { kind: 'user' as const, user: 'UANN' },
    ];
    expect(resolveLevelTargets(notify, config.schedules, week2)).toEqual([
      { target: 'UCAT', via: 'schedule:secondary' },
      { target: 'UBEN', via: 'schedule:primary' },
      { target: 'UANN', via: 'user' },
    ]);
    expect(resolveLevelTargets(notify, config.schedules, week1)).toEqual([
      { target: 'UBEN', via: 'schedule:secondary' },
      { target: 'UANN', via: 'schedule:primary' },
    ]);
  });

  it('pages nobody for a schedule with nobody on call or one that does not exist', () => {
    const notify = [
      { kind: 'schedule' as const, schedule: 'future' },
      { kind: 'schedule' as const, schedule: 'missing' },
    ];
    expect(resolveLevelTargets(notify, config.schedules, week1)).toEqual([]);
  });
});

describe('timer job ids', () => {
  it('name the incident, fencing epoch, step and loop, never all digits and without a colon', () => {
    expect(stepJobId(12, 3, { step: 1, loop: 2 })).toBe('esc-12-e3-s1-l2');
    expect(ackTimeoutJobId(12, 3)).toBe('ackto-12-e3');
    for (const id of [stepJobId(1, 0, { step: 0, loop: 0 }), ackTimeoutJobId(1, 0)]) {
      expect(id).not.toMatch(/^\d+$/);
      expect(id).not.toContain(':');
    }
  });
});
