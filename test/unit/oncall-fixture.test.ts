import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { type OncallFixture, oncallFixture, writeOncallFile } from '../helpers/oncall-fixture.js';

const PEOPLE = { alice: 'UALICE', bob: 'UBOB', carol: 'UCAROL' };

/** What the bot reads from the fixture, written as the bot harness writes it. */
const load = async (fixture: OncallFixture) =>
  parseOncallConfig(await readFile(await writeOncallFile(oncallFixture(fixture), PEOPLE), 'utf8'));

describe('the shared test on-call file', () => {
  it('is a valid oncall.yaml with the primary schedule, the default policy and only what a test adds', async () => {
    const config = await load({
      levels: [
        ['schedule:primary', '2s'],
        ['user:carol@acme.test', '1m'],
      ],
      repeat: 1,
      policies: { flappy: { levels: [['schedule:primary', '20s']], ackTimeout: '1s' } },
      services: { checkout: { policy: 'flappy', slo: { target: 99.9, window: '30d' } } },
      autoPage: ['SEV1'],
      fastEscalation: true,
    });
    expect(config.schedules.primary).toMatchObject({
      timezone: 'UTC',
      layers: [
        {
          participants: ['UBOB'],
          rotation: { length: { count: 1, unit: 'week' }, handoff: { hour: 9, minute: 0 } },
        },
      ],
    });
    expect(config.escalationPolicies.default).toEqual({
      name: 'default',
      levels: [
        { notify: [{ kind: 'schedule', schedule: 'primary' }], escalateAfterMs: 2000 },
        { notify: [{ kind: 'user', user: 'carol@acme.test' }], escalateAfterMs: 60_000 },
      ],
      repeat: 1,
      ackTimeoutMs: undefined,
    });
    expect(config.escalationPolicies.flappy?.ackTimeoutMs).toBe(1000);
    expect(config.services.checkout).toMatchObject({ escalationPolicy: 'flappy', slo: { target: 99.9 } });
    expect(config.paging).toEqual({
      defaultPolicy: 'default',
      autoPage: ['SEV1'],
      allowFastEscalation: true,
      groupWindowMs: 120_000,
    });
    expect(config.admins).toEqual([]);
  });

  it('leaves the file defaults alone when a test does not name them', async () => {
    const config = await load({ levels: [['schedule:primary', '10m']] });
    expect(config.paging.allowFastEscalation).toBe(false);
    expect(Object.keys(config.escalationPolicies)).toEqual(['default']);
    expect(config.services).toEqual({});
  });

  it('is written with the seeded people in place of {alice}, {bob} and {carol}', async () => {
    const config = await load({ participants: ['{bob}', '{alice}'], levels: [['user:{carol}', '5m']] });
    expect(config.schedules.primary?.layers[0]?.participants).toEqual(['UBOB', 'UALICE']);
    expect(config.escalationPolicies.default?.levels[0]?.notify).toEqual([{ kind: 'user', user: 'UCAROL' }]);
  });
});
