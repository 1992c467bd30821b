import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOncallConfig, parseOncallConfig } from '../../../src/escalation/oncall-config.js';
import { nextShifts, whoIsOnCall } from '../../../src/escalation/schedule.js';

const examplePath = new URL('../../../oncall.example.yaml', import.meta.url).pathname;

describe('oncall.example.yaml: the common SRE rota', () => {
  it('is valid', async () => {
    await expect(loadOncallConfig(examplePath)).resolves.toBeDefined();
  });

  it('has a weekly primary rotation of four and a secondary of three, both handing off at 09:00 local', async () => {
    const config = await loadOncallConfig(examplePath);
    const { primary, secondary } = config.schedules;
    for (const schedule of [primary!, secondary!]) {
      expect(schedule.layers).toHaveLength(1);
      expect(schedule.layers[0]!.rotation.length).toEqual({ count: 1, unit: 'week' });
      expect(schedule.layers[0]!.rotation.handoff).toEqual({ hour: 9, minute: 0 });
      expect(schedule.layers[0]!.restrictions).toEqual([]);
    }
    expect(primary!.layers[0]!.participants).toHaveLength(4);
    expect(secondary!.layers[0]!.participants).toHaveLength(3);
    expect(new Set([...primary!.layers[0]!.participants, ...secondary!.layers[0]!.participants]).size).toBe(
      7,
    );
    // 09:00 local means 09:00 in New York on either side of a clock change.
    const handoffs = nextShifts(primary!, new Date('2027-03-01T00:00:00Z'), 3).map((shift) =>
      shift.start.toLocaleString('en-US', {
        timeZone: primary!.timezone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }),
    );
    expect(handoffs).toEqual(['Mon 09:00', 'Mon 09:00', 'Mon 09:00']);
    expect(whoIsOnCall(primary!, new Date('2026-11-03T12:00:00Z'))?.user).toBe(
      primary!.layers[0]!.participants[0],
    );
  });

  it('escalates primary after 5 minutes, secondary after 15, then the engineering manager after 30', async () => {
    const config = await loadOncallConfig(examplePath);
    const policy = config.escalationPolicies[config.paging.defaultPolicy]!;
    expect(policy.levels).toEqual([
      { notify: [{ kind: 'schedule', schedule: 'primary' }], escalateAfterMs: 5 * 60_000 },
      { notify: [{ kind: 'schedule', schedule: 'secondary' }], escalateAfterMs: 15 * 60_000 },
      { notify: [{ kind: 'user', user: 'heidi@acme.test' }], escalateAfterMs: 30 * 60_000 },
    ]);
    expect(readFileSync(examplePath, 'utf8')).toMatch(/engineering manager/);
  });

  it('has a service with an SLO and its SLI using that policy, and pages SEV1 and SEV2 automatically', async () => {
    const config = await loadOncallConfig(examplePath);
    expect(config.services.checkout).toMatchObject({
      escalationPolicy: 'default',
      slo: { target: 99.9, windowMs: 30 * 86_400_000 },
      sli: {
        errors: 'http_requests_total{job="checkout",code=~"5.."}',
        total: 'http_requests_total{job="checkout"}',
      },
    });
    expect(config.paging).toEqual({
      defaultPolicy: 'default',
      autoPage: ['SEV1', 'SEV2'],
      allowFastEscalation: false,
      groupWindowMs: 120_000,
    });
  });

  it('its commented-out override works when uncommented', () => {
    const text = readFileSync(examplePath, 'utf8').replace(/^ {4}# (overrides:| {2}- \{ user)/gm, '    $1');
    const override = parseOncallConfig(text).schedules.primary!.overrides[0]!;
    expect(override.user).toBe('bob@acme.test');
    expect(override.from.toISOString()).toBe('2026-11-26T14:00:00.000Z'); // 09:00 in New York
  });

  it('explains itself: every section carries comments for a newcomer', () => {
    const text = readFileSync(examplePath, 'utf8');
    for (const section of [
      'timezone:',
      'admins:',
      'schedules:',
      'escalation_policies:',
      'services:',
      'paging:',
    ]) {
      const before = text.slice(0, text.indexOf(`\n${section}`));
      expect(before.trimEnd().split('\n').at(-1), section).toMatch(/^#/);
    }
  });
});
